// Entities: one per real-world thing in the document. Knowledge-base names keep their ids so they
// line up across documents; acronyms join their long form, surnames the full name mentioned
// earlier, spelling and transliteration variants one another. Every linked mention says why.
import type { Entity, EntityType, Mention, Role } from '../model/contract.js';
import { ENTITY_TYPES } from '../model/contract.js';
import { defineStage } from '../model/analysis.js';
import type { KbEntry, Knowledge } from '../knowledge/knowledge.js';
import { matchKey } from '../text/fold.js';

const NAME_TYPES = new Set<string>(ENTITY_TYPES);

/** A key under which spelling and transliteration variants meet: Tabqa = Tabka, Hodeidah = Hodeida. */
const variantCache = new Map<string, string>();
export function variantKey(name: string): string {
  const hit = variantCache.get(name);
  if (hit !== undefined) return hit;
  if (variantCache.size > 100000) variantCache.clear();
  const v = matchKey(name)
    .replace(/^the /, '')
    .replace(/'s$/, '')
    .replace(/[^a-z0-9]/g, '')
    .replace(/kh/g, 'h')
    .replace(/gh/g, 'g')
    .replace(/dh/g, 'd')
    .replace(/ph/g, 'f')
    .replace(/ou/g, 'u')
    .replace(/ee/g, 'i')
    .replace(/[yj]/g, 'i')
    .replace(/q/g, 'k')
    .replace(/(.)\1+/g, '$1');
  variantCache.set(name, v);
  return v;
}

const slug = (s: string) => matchKey(s).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'x';

function entityFromKb(e: KbEntry, kb: Knowledge): Entity {
  const country = e.country ?? (e.parent?.startsWith('geo:') ? kb.entries.get(e.parent)?.country : undefined);
  return {
    id: e.id,
    name: e.name,
    type: e.type,
    aliases: [...new Set(e.aliases)],
    kind: e.kind,
    ...(e.qid ? { kb: e.qid } : {}),
    ...(country ? { country } : {}),
    ...(e.geo ? { geo: e.geo } : {}),
    ...(e.roles?.length ? { roles: e.roles.map((r) => ({ ...r })) } : {}),
    attributes: { source: e.source, ...(e.parent ? { parent: e.parent } : {}) },
  };
}

/** "Joint Chiefs of Staff (South Korea)" -> "JCS": the capitals of a name's words, without its parenthesis and connectors. */
function initials(name: string): string {
  return name
    .replace(/\s*\(.*\)\s*$/, '')
    .split(/\s+/)
    .filter((w) => !/^(?:of|the|for|and|de|du|des|la|le|al)$/i.test(w) && /^\p{Lu}/u.test(w))
    .map((w) => w[0])
    .join('');
}

const LOCATIVE_BEFORE = /\b(?:in|at|near|from|to|into|outside|around|of|across|toward|towards|via)\s+(?:the\s+)?$/i;

export function linkEntitiesIn(mentions: readonly Mention[], kb: Knowledge, text = ''): { mentions: Mention[]; entities: Entity[] } {
  const entities = new Map<string, Entity>();
  const byVariant = new Map<string, string>(); // type|variantKey -> entity id
  const people: { id: string; surname: string }[] = [];
  const out: Mention[] = [];
  const entityAt = new Map<number, string>(); // mention start -> entity id
  const typeGroup = (t: string) => (t === 'FACILITY' || t === 'LOCATION' ? 'PLACE' : t);
  const remember = (e: Entity, name: string) => {
    byVariant.set(`${typeGroup(e.type)}|${variantKey(name)}`, e.id);
    if (e.type === 'PERSON') people.push({ id: e.id, surname: variantKey(matchKey(name).split(' ').pop() ?? '') });
  };
  const aliasSets = new Map<string, Set<string>>();
  const addAlias = (e: Entity, text: string) => {
    const t = text.replace(/^the\s+/i, '');
    let set = aliasSets.get(e.id);
    if (!set) aliasSets.set(e.id, (set = new Set(e.aliases)));
    if (!set.has(t)) {
      set.add(t);
      e.aliases.push(t);
    }
  };

  // the countries the document names, by a state or its people
  const docCountries = new Set<string>();
  for (const m of mentions) {
    const e = typeof m.attributes?.kb === 'string' ? kb.entries.get(m.attributes.kb) : undefined;
    if (e?.country && (e.kind === 'state' || e.type === 'NATIONALITY')) docCountries.add(e.country);
  }

  for (const m of mentions) {
    if (!NAME_TYPES.has(m.type)) {
      out.push({ ...m });
      continue;
    }
    const attrs = (m.attributes ?? {}) as Record<string, unknown>;
    const rule = String(attrs.rule ?? '');
    let id: string | undefined;
    let linkedBy: string | undefined;
    // acronyms follow their long form
    if (typeof attrs.longFormAt === 'number' && entityAt.has(attrs.longFormAt)) {
      id = entityAt.get(attrs.longFormAt);
      linkedBy = 'acronym';
    }
    // a surname alone joins the person named in full earlier
    if (!id && m.type === 'PERSON' && !/\s/.test(m.text.trim())) {
      const key = variantKey(m.text);
      let earlier: { id: string } | undefined;
      for (let k = people.length - 1; k >= 0 && !earlier; k--) if (people[k].surname === key) earlier = people[k];
      if (earlier) {
        id = earlier.id;
        linkedBy = 'surname';
      }
    }
    // "the JCS" after "South Korea's Joint Chiefs of Staff": an acronym the knowledge base gives to
    // another country's body, in a document that does not name that country, stands for the body of
    // those initials named earlier
    if (!id && typeof attrs.kb === 'string' && /^[A-Z]{2,6}$/.test(m.text)) {
      const e = kb.entries.get(attrs.kb);
      if (e?.country && !docCountries.has(e.country) && !entities.has(e.id)) {
        const named = [...entities.values()].filter((other) => {
          const oe = kb.entries.get(other.id);
          return oe && oe.type === e.type && oe.country && oe.country !== e.country && initials(oe.name) === m.text;
        });
        if (named.length === 1) {
          id = named[0].id;
          linkedBy = 'acronym';
        }
      }
    }
    if (!id && typeof attrs.kb === 'string') {
      let e = kb.entries.get(attrs.kb);
      // a capital that acts stands for its state: "as Moscow fortifies positions", "if Washington were able"
      if (e?.kind === 'capital' && e.country && text && !LOCATIVE_BEFORE.test(text.slice(Math.max(0, m.start - 24), m.start))) {
        const state = kb.entries.get(`geo:${e.country}`);
        if (state) {
          e = state;
          linkedBy = 'capital-metonymy';
        }
      }
      if (e) {
        if (!entities.has(e.id)) {
          const ent = entityFromKb(e, kb);
          entities.set(e.id, ent);
          remember(ent, e.name);
        }
        id = e.id;
        linkedBy ??= rule.startsWith('kb-surname') ? 'kb-surname' : `kb-alias:${e.id}`;
      }
    }
    // "the Marines" after "US Marines": a known organisation by the end of one of its names
    if (!id && m.type === 'ORGANIZATION' && typeof attrs.kb !== 'string') {
      const key = matchKey(m.text.replace(/^the\s+/i, ''));
      for (const e of entities.values()) {
        if (e.type !== 'ORGANIZATION' || !kb.entries.has(e.id) || key.length < 4) continue;
        if (e.aliases.some((a) => a.length > key.length && matchKey(a).endsWith(` ${key}`) && /^\p{Lu}/u.test(a.slice(a.length - key.length)))) {
          id = e.id;
          linkedBy = 'short-form';
          break;
        }
      }
    }
    if (!id) {
      const vk = `${typeGroup(m.type)}|${variantKey(m.text)}`;
      const known = byVariant.get(vk);
      if (known) {
        id = known;
        const e = entities.get(known)!;
        const mk = matchKey(m.text);
        linkedBy = matchKey(e.name) === mk || e.aliases.some((a) => matchKey(a) === mk) ? 'name' : 'variant';
      }
    }
    if (!id) {
      const name = m.text.replace(/^the\s+/i, '').replace(/[’']s$/, '');
      const type = m.type as EntityType;
      id = `x:${type.toLowerCase()}:${slug(name)}`;
      if (!entities.has(id)) {
        const ent: Entity = { id, name, type, aliases: [], ...(typeof attrs.kind === 'string' ? { kind: attrs.kind } : {}), attributes: { rule } };
        entities.set(id, ent);
        remember(ent, name);
      }
      linkedBy = 'name';
    }
    const ent = entities.get(id)!;
    addAlias(ent, m.text);
    remember(ent, m.text);
    // a facility is also known by its name without the head: "Tabqa" for "Tabqa air base"
    if (ent.type === 'FACILITY') {
      const short = m.text.replace(/\s+(?:[a-z][\w-]*\s*){1,3}$/, '');
      if (short !== m.text && short.length > 2) {
        addAlias(ent, short);
        byVariant.set(`PLACE|${variantKey(short)}`, ent.id);
      }
    }
    entityAt.set(m.start, id);
    out.push({ ...m, entity: id, linkedBy });
  }

  // titles before names become roles: "Malian Defence Minister Sadio Camara"
  for (let i = 0; i < out.length; i++) {
    const m = out[i];
    const attrs = (m.attributes ?? {}) as Record<string, unknown>;
    if (m.type !== 'PERSON' || !m.entity || typeof attrs.title !== 'string') continue;
    const ent = entities.get(m.entity)!;
    const prev = out[i - 1];
    let of: string | undefined;
    if (prev && prev.entity && prev.end <= m.start && m.start - prev.end <= attrs.title.length + 2) {
      const p = entities.get(prev.entity);
      if (p?.type === 'NATIONALITY' && p.country) of = `geo:${p.country}`;
      else if (p && (p.type === 'LOCATION' || p.type === 'ORGANIZATION')) of = p.id;
    }
    const role: Role = { title: attrs.title, ...(of ? { of } : {}) };
    ent.roles ??= [];
    if (!ent.roles.some((r) => r.title.toLowerCase() === role.title.toLowerCase() && (!role.of || r.of === role.of))) ent.roles.push(role);
  }
  // a person is also known by the surname alone
  for (const e of entities.values())
    if (e.type === 'PERSON') {
      const parts = e.name.split(/\s+/);
      const last = parts[parts.length - 1];
      if (parts.length > 1 && last.length > 2 && !e.aliases.includes(last)) e.aliases.push(last);
    }
  // countries named only through a demonym still exist as places in the knowledge base; entities
  // list only what the document mentions
  return { mentions: out, entities: [...entities.values()] };
}

export const linkEntities = defineStage({
  name: 'linkEntities',
  reads: ['mentions'],
  writes: ['mentions', 'entities'],
  setup: ({ kb }) => (doc) => linkEntitiesIn(doc.layers.mentions, kb, doc.text),
});
