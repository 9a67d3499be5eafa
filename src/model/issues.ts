// One catalogue of everything that can go wrong with an input, modelled on zod's issues: a code,
// a severity, a message that names the value and what was expected, and where it happened.
import { z } from 'zod';

export const ISSUE_CODES = {
  'input.empty': 'the document has no text',
  'input.binary': 'the input looks binary, not text',
  'input.encoding': 'the input is not valid UTF-8',
  'input.too-large': 'the input is larger than the size limit',
  'input.unreadable': 'the input could not be read',
  'input.html-truncated': 'the HTML ends before its closing tags',
  'input.html-no-body': 'no article body was found in the HTML',
  'input.bad-json': 'a JSONL line is not valid JSON',
  'input.bad-record': 'a JSONL record does not have the expected fields',
  'input.bad-date': 'a date option is not an ISO 8601 date',
  'fetch.bad-url': 'a URL is malformed or not http(s)',
  'fetch.refused-address': 'a URL resolves to an address that is not public',
  'fetch.too-large': 'a fetched body is larger than the size limit',
  'fetch.timeout': 'a fetch took longer than its time limit',
  'fetch.content-type': 'a fetched body is not a content type we read',
  'fetch.redirects': 'a fetch was redirected too often or badly',
  'fetch.status': 'a server answered with a status other than 2xx',
  'fetch.failed': 'a fetch failed on the network (DNS, connection, TLS)',
  'feed.invalid': 'an input is not a readable RSS or Atom feed',
  'knowledge.bad-record': 'a knowledge record does not match its schema',
  'knowledge.missing-file': 'a knowledge file is missing',
  'pipeline.unknown-stage': 'a stage name is not known',
  'pipeline.order': 'a stage reads a layer no earlier stage writes',
  'pipeline.stage-failed': 'a stage threw while processing a document',
  'output.invalid': 'the extraction does not match the contract',
  'ner.model-missing': 'the tagger weights could not be loaded',
} as const;
export type IssueCode = keyof typeof ISSUE_CODES;

export const IssueSchema = z.object({
  code: z.enum(Object.keys(ISSUE_CODES) as [IssueCode, ...IssueCode[]]),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  input: z.string(),
  stage: z.string().optional(),
  rule: z.string().optional(),
  at: z.object({ start: z.number(), end: z.number() }).optional(),
});
export type Issue = z.infer<typeof IssueSchema>;
export type Severity = Issue['severity'];

/** What a boundary (a file, a request, a JSONL line, a data record) returns. */
export type Result<T> = { ok: true; value: T; issues?: Issue[] } | { ok: false; issues: Issue[] };

export function issue(code: IssueCode, input: string, message: string, extra: Partial<Issue> = {}): Issue {
  return { code, severity: 'error', message, input, ...extra };
}

export function formatIssue(i: Issue): string {
  const where = [i.input, i.stage && `stage ${i.stage}`, i.at && `at ${i.at.start}-${i.at.end}`].filter(Boolean).join(', ');
  return `${i.severity}: ${where}: ${i.message} [${i.code}]`;
}
