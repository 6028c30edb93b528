/**
 * Typed GitHub Actions workflows (Workflow, Job, Step) and their YAML text, written with the `yaml`
 * library: quoting and `${{ }}` need no hand escaping, multi-line scripts become `|` blocks, and
 * comments ride along as {@link Styled} wrappers (a comment above a key, list item or job, or at
 * the end of a scalar's line). Pure: no file access.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';

/** A value with comments or layout: `before` (lines above its key or list item), `after` (end of its line, scalars), `flow` (`[a, b]`), `space` (a blank line above). */
export class Styled {
  constructor(
    readonly value: Value,
    readonly style: { before?: string; after?: string; flow?: boolean; space?: boolean },
  ) {}
}

/** Anything a workflow holds: scalars, lists, maps (an `undefined` map entry is left out), styled values. */
export type Value = string | number | boolean | null | Styled | Value[] | { [key: string]: Value | undefined };

/** A value with comment lines above it (`text`'s lines, without `#`). */
export const note = (value: Value, text: string) => new Styled(value, { before: text });
/** A scalar with a comment at the end of its line. */
export const trailing = (value: Value, text: string) => new Styled(value, { after: text });
/** A list written on one line: `[a, b]`. */
export const flow = (items: Value[]) => new Styled(items, { flow: true });

/** One step of a job (keys in the order they are written). */
export interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: Value;
  'working-directory'?: string;
  env?: Record<string, Value>;
  'continue-on-error'?: Value;
  with?: Record<string, Value | undefined>;
  run?: string;
  [key: string]: Value | undefined;
}

/** One job of a workflow (keys in the order they are written). */
export interface Job {
  name: string;
  needs?: Value;
  if?: string;
  strategy?: Value;
  'runs-on': string;
  'timeout-minutes': number;
  environment?: Value;
  permissions: Value;
  outputs?: Record<string, Value | undefined>;
  env?: Record<string, Value | undefined>;
  steps: Array<Step | Styled>;
  [key: string]: Value | undefined;
}

/** A whole workflow: `header` becomes the comment lines at the top of the file. */
export interface Workflow {
  header: string;
  name: string;
  on: Value;
  permissions: Value;
  concurrency: Value;
  env: Record<string, Value>;
  defaults: Value;
  jobs: Record<string, Job | Styled>;
  [key: string]: Value | undefined;
}

/** `text`'s lines as the yaml library writes comments: it adds the `#` (an empty line would be a blank one, a lone space becomes `#`). */
const comment = (text: string) =>
  text
    .split('\n')
    .map((l) => ` ${l}`)
    .join('\n');

function toNode(doc: Document, v: Value): Node {
  if (v instanceof Styled) {
    const node = toNode(doc, v.value);
    if (v.style.after) node.comment = comment(v.style.after);
    if (v.style.flow) (node as YAMLSeq).flow = true;
    return node;
  }
  if (Array.isArray(v)) {
    const seq = new YAMLSeq();
    for (const x of v) seq.items.push(withBefore(toNode(doc, x), x));
    return seq;
  }
  if (v !== null && typeof v === 'object') {
    const map = new YAMLMap();
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue;
      const key = withBefore(doc.createNode(k) as Scalar, x);
      if (x instanceof Styled && x.style.space) key.spaceBefore = true;
      map.items.push(new Pair(key, toNode(doc, x)));
    }
    return map;
  }
  const node = doc.createNode(v) as Scalar;
  // Scripts and path lists: a literal block, kept as written (never folded).
  if (typeof v === 'string' && v.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
  return node;
}

/** `node` with the comment lines `v` asks for above it. */
function withBefore<N extends Node>(node: N, v: Value): N {
  if (v instanceof Styled && v.style.before) node.commentBefore = comment(v.style.before);
  return node;
}

/** A blank line above every top-level key after `name` and above every job after the first. */
function spaced(w: Workflow): Record<string, Value> {
  const out: Record<string, Value> = {};
  const jobs: Record<string, Value> = {};
  Object.entries(w.jobs).forEach(([id, job], i) => (jobs[id] = i === 0 ? job : space(job)));
  const { header, ...rest } = w;
  Object.entries({ ...rest, jobs }).forEach(([k, x], i) => {
    if (x !== undefined) out[k] = i === 0 ? note(x, header) : space(x);
  });
  return out;
}

const space = (v: Value) => (v instanceof Styled ? new Styled(v.value, { ...v.style, space: true }) : new Styled(v, { space: true }));

/** The workflow's YAML text (2-space indent, single quotes where quoting is needed, `key:` for null, no line folding). */
export function workflowYaml(w: Workflow): string {
  const doc = new Document();
  doc.contents = toNode(doc, spaced(w)) as YAMLMap;
  return doc.toString({ lineWidth: 0, singleQuote: true, nullStr: '', flowCollectionPadding: false });
}
