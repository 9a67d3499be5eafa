// The knowledge base's labels for corpus sentences, for training and dev scoring: the words are
// made into pipeline tokens (gazetteer.ts tokensFromWords) and matched exactly as the mention
// stage matches a document (find-mentions.ts kbCandidates).
import type { Knowledge } from '../../knowledge/knowledge.js';
import { loadKnowledge } from '../../knowledge/load.js';
import type { NerModel } from './model.js';
import { kbCandidates } from '../find-mentions.js';
import { gazetteerLabels, tokensFromWords } from './gazetteer.js';
import type { Gazetteer } from './train.js';

export function corpusGazetteer(kb: Knowledge): Gazetteer {
  return (words, pos) => {
    const { text, tokens } = tokensFromWords(words, pos);
    return gazetteerLabels(tokens.length, kbCandidates(text, tokens, kb));
  };
}

/** The gazetteer a model needs to be scored as it runs: the knowledge base's, if it was trained with one. */
export function gazetteerFor(model: NerModel, dataRoot?: string): Gazetteer | undefined {
  return model.info.gazetteer ? corpusGazetteer(loadKnowledge(dataRoot).knowledge) : undefined;
}
