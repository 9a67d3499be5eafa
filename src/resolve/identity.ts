// One identity per actor across documents. Entities with a knowledge-base id are one entity
// everywhere by their id. Entities the knowledge base does not know are joined to an earlier one
// only when the name matches and the context agrees: the same role, actors named beside it in
// both documents, the same country. Two "Ahmad Shah"s in unrelated reports stay apart. Each join
// says why, in words an analyst can check; the store records it so it can be undone.
import { matchKey } from '../text/fold.js';

/** Entity types whose members are kinds of thing, not individuals: the same name is the same thing. */
const TYPE_LEVEL = new Set(['NATIONALITY', 'WEAPON', 'MILITARY_PLATFORM', 'VEHICLE']);
/** Co-mentions of these types are weak evidence (many reports name the same countries). */
const PLACE_TYPES = new Set(['LOCATION', 'NATIONALITY', 'FACILITY']);

/** The key names are compared by: folded, lower-case, no leading article. */
export function nameKey(name: string): string {
  return matchKey(name).replace(/^(the|al) /, '').replace(/[.'’]/g, '').trim();
}

/** Entity ids made in a document for something the knowledge base does not know. */
export function isTextEntity(id: string): boolean {
  return id.startsWith('x:');
}

export type EntityContext = {
  name: string;
  type: string;
  countries: readonly string[];
  roleTitles: readonly string[];
  /** Store-wide ids of the other entities named in the same document(s), with their types. */
  coMentioned: ReadonlyMap<string, string>;
};

export type Candidate = EntityContext & { entityId: string; documents: number };

export type Decision = { join: boolean; score: number; reason: string };

function wordsOf(name: string): number {
  return nameKey(name).split(' ').filter(Boolean).length;
}

function shared(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) {
  const strong: string[] = [];
  const places: string[] = [];
  for (const [id, type] of a) {
    if (!b.has(id)) continue;
    (PLACE_TYPES.has(type) ? places : strong).push(id);
  }
  return { strong: strong.sort(), places: places.sort() };
}

/**
 * Whether an entity of a new document is the candidate already in the store. Conservative: a
 * person needs a full name and either the same role or actors named beside them in both places;
 * a country on both sides that differs always keeps them apart.
 */
export function decideJoin(local: EntityContext, cand: Candidate): Decision {
  const no = (reason: string): Decision => ({ join: false, score: 0, reason });
  if (local.type !== cand.type) return no('different types');
  const name = `same name "${local.name}" (${local.type.toLowerCase()})`;
  if (TYPE_LEVEL.has(local.type)) return { join: true, score: 1, reason: `${name}; a kind of thing, not an individual` };
  const countryConflict = local.countries.length > 0 && cand.countries.length > 0 && !local.countries.some((c) => cand.countries.includes(c));
  if (countryConflict) return no(`countries differ (${local.countries.join(', ')} vs ${cand.countries.join(', ')})`);
  const sameCountry = local.countries.some((c) => cand.countries.includes(c));
  const localTitles = new Set(local.roleTitles.map((t) => t.toLowerCase()));
  const sameRole = cand.roleTitles.find((t) => localTitles.has(t.toLowerCase()));
  const { strong, places } = shared(local.coMentioned, cand.coMentioned);
  const words = wordsOf(local.name);
  const score = (sameRole ? 3 : 0) + 2 * strong.length + places.length + (sameCountry ? 1 : 0);
  const evidence = [
    sameRole && `same role "${sameRole}"`,
    sameCountry && `same country ${local.countries.find((c) => cand.countries.includes(c))}`,
    strong.length > 0 && `actors named in both: ${strong.slice(0, 5).join(', ')}`,
    places.length > 0 && `places named in both: ${places.slice(0, 5).join(', ')}`,
  ].filter(Boolean).join('; ');
  let join: boolean;
  switch (local.type) {
    case 'PERSON':
      join = words >= 2 && (Boolean(sameRole) || strong.length >= 2 || (strong.length >= 1 && (sameCountry || places.length >= 1)));
      break;
    case 'ORGANIZATION':
    case 'FACILITY':
      join = words >= 2 ? strong.length >= 1 || places.length >= 1 || sameCountry : strong.length >= 2 || (strong.length >= 1 && places.length >= 1);
      break;
    case 'LOCATION':
      join = sameCountry || places.length >= 1 || strong.length >= 1;
      break;
    default:
      join = false;
  }
  if (!join) return no(evidence ? `${name}, but not enough shared context (${evidence})` : `${name}, but nothing else in common`);
  return { join: true, score, reason: `${name}; ${evidence}` };
}

/**
 * Whether an entity could join any earlier one at all: a one-word person name ("Bush") never
 * joins, however much context it shares, so the store need not look for candidates.
 */
export function mayJoin(e: { name: string; type: string }): boolean {
  return e.type !== 'PERSON' || wordsOf(e.name) >= 2;
}

/** The best candidate to join, if any: the highest score, then the most documents, then the id. */
export function chooseCandidate(local: EntityContext, candidates: readonly Candidate[]): { candidate: Candidate; decision: Decision } | undefined {
  let best: { candidate: Candidate; decision: Decision } | undefined;
  for (const candidate of candidates) {
    const decision = decideJoin(local, candidate);
    if (!decision.join) continue;
    if (
      !best ||
      decision.score > best.decision.score ||
      (decision.score === best.decision.score && (candidate.documents > best.candidate.documents || (candidate.documents === best.candidate.documents && candidate.entityId < best.candidate.entityId)))
    )
      best = { candidate, decision };
  }
  return best;
}

/** The store-wide id an unknown entity gets when it forms an identity of its own: its document-local id and its document. */
export function ownTextId(localId: string, docId: string): string {
  return `${localId}:${docId.slice(1, 9)}`;
}
