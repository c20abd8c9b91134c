/**
 * The flow editor's pure core (console/web/src/pages/flows/): a definition drawn as a graph and turned back is
 * the same definition, for every shipped flow; the editor's changes; problems placed on their node and field; the
 * YAML text kept in step with its comments; a comparison drawn per node; completion from the JSON Schema; a
 * 200-node flow laid out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listFlowFiles } from '../flows/files';
import { flowJsonSchema } from '../flows/definition/schema';
import type { FlowDefinition } from '../flows/definition/types';
import { INPUT_TYPES } from '../flows/definition/types';
import { ACTIONS, CONDITIONS } from '../flows/registry';
import { definitionOf, graphOf } from '../console/web/src/pages/flows/graph';
import { addNode, addOption, copyNode, deleteNode, renameNode, setTarget, setText, MAX_CHOICES } from '../console/web/src/pages/flows/edit';
import { checkDraft, issuesOfField } from '../console/web/src/pages/flows/issues';
import { applyToYaml } from '../console/web/src/pages/flows/yaml-sync';
import { compare, summaryOf } from '../console/web/src/pages/flows/compare';
import { completionsAt } from '../console/web/src/pages/flows/complete';
import { CARD_HEIGHT, CARD_WIDTH, layered, layoutFlow } from '../console/web/src/pages/flows/layout';
import { generatedFlow } from './support/big-flow';
import { flowsTexts } from '../console/web/src/texts/flows';
import { NODE_KINDS } from '../console/web/src/pages/flows/graph';

const DIR = join(import.meta.dirname, '..', 'flows', 'definitions');
const files = await listFlowFiles(DIR);
const shipped = (name: string): { text: string; def: FlowDefinition } => {
  const text = readFileSync(join(DIR, `${name}.yaml`), 'utf8');
  return { text, def: parse(text) as FlowDefinition };
};
const IDS = files.map((f) => (parse(readFileSync(f, 'utf8')) as FlowDefinition).id);

describe('a flow drawn as a graph', () => {
  it.each(files.map((f) => [f.split('/').pop()!, f]))('%s turns back into the same definition, key for key', (_name, file) => {
    const def = parse(readFileSync(file, 'utf8')) as FlowDefinition;
    const back = definitionOf(graphOf(def));
    expect(back).toEqual(def);
    expect(JSON.stringify(back)).toBe(JSON.stringify(def));
  });

  it('has one edge per way out, named by where the target is written', () => {
    const g = graphOf(shipped('complaint').def);
    const ids = g.edges.filter((e) => e.source === 'editWhich').map((e) => e.field);
    expect(ids.slice(0, 2)).toEqual(['options.0.next', 'options.0.returnTo']);
    expect(g.edges.find((e) => e.source === 'submit')).toMatchObject({ field: 'outcomes.ok', target: 'routeThanks', dangling: false });
    expect(g.nodes.find((n) => n.start)?.id).toBe('category');
  });
});

describe("the editor's changes", () => {
  const { def } = shipped('complaint');

  it('adds a choice with a Thai label to write, and the missing English shows on that node and field', () => {
    const d = setText(addOption(def, 'category'), 'th', 'category_option9', 'ที่ดิน');
    expect(d.nodes.category).toMatchObject({ options: expect.arrayContaining([{ label: 'category_option9', next: 'routeCategory' }]) });
    const checked = checkDraft(d, IDS);
    const onField = issuesOfField(checked.issues.filter((i) => i.node === 'category'), 'options.8.label', 'en');
    expect(onField).toEqual([expect.objectContaining({ severity: 'error', message: 'text "category_option9" is missing in en', suggestion: 'add texts.en.category_option9', lang: 'en' })]);
    expect(checkDraft(setText(d, 'en', 'category_option9', 'Land'), IDS).errors).toBe(0);
    expect(def.nodes.category).toEqual(shipped('complaint').def.nodes.category); // the earlier definition is untouched
  });

  it('stops adding choices at LINE’s 13', () => {
    let d = def;
    for (let i = 0; i < 20; i++) d = addOption(d, 'category');
    expect((d.nodes.category as { options: unknown[] }).options).toHaveLength(MAX_CHOICES);
  });

  it('copies a node with texts of its own, deletes one leaving its callers pointing at nothing, renames one everywhere', () => {
    const copied = copyNode(def, 'phone');
    expect(copied.id).toBe('phone_copy');
    expect(copied.def.nodes.phone_copy).toMatchObject({ prompt: 'askPhone_copy', reprompt: 'repromptPhone_copy' });
    expect(copied.def.texts.en.askPhone_copy).toBe(def.texts.en.askPhone);

    // Its question is also asked when the category changes at the summary: the text stays until neither asks it.
    const deleted = deleteNode(def, 'nationalId');
    expect(deleted.texts.th.askNationalId).toBe(def.texts.th.askNationalId);
    expect(deleteNode(deleted, 'nationalIdOnChange').texts.th.askNationalId).toBeUndefined();
    const issues = checkDraft(deleted, IDS).issues.filter((i) => i.node === 'routeNationalId');
    expect(issues).toContainEqual(expect.objectContaining({ field: 'cases.0.next', message: 'unknown target node "nationalId"' }));

    const renamed = renameNode(def, 'phone', 'telephone');
    expect(renamed.nodes.fullName).toMatchObject({ next: 'telephone' });
    expect(renamed.nodes.editWhich).toMatchObject({ options: expect.arrayContaining([{ label: 'fPhone', next: 'telephone', returnTo: 'routeSummary' }]) });
    expect(checkDraft(renamed, IDS).errors).toBe(0);
    expect(renameNode(def, 'phone', 'address')).toBe(def); // taken
  });

  it('offers "did you mean" for a mistyped target, and adds a node of every kind that the schema accepts', () => {
    const typo = setTarget(def, 'fullName', 'next', 'phnoe');
    expect(checkDraft(typo, IDS).issues.find((i) => i.node === 'fullName')).toMatchObject({ field: 'next', suggestion: 'did you mean "phone"?' });
    for (const kind of ['say', 'ask', 'choose', 'branch', 'action', 'call', 'handoff', 'end'] as const) {
      const added = addNode(def, kind, 'summary');
      expect(checkDraft(added.def, IDS).flow).not.toBeNull();
    }
  });
});

describe('the YAML text kept in step', () => {
  it('writes only what changed, keeping the comments and the order', () => {
    const { text, def } = shipped('complaint');
    const changed = setText(addOption(def, 'anonymous'), 'th', 'askWhen', 'เกิดเมื่อไรคะ');
    const out = applyToYaml(text, def, changed);
    expect(out).toContain('# Complaint intake');
    expect(out).toContain('    askWhen: เกิดเมื่อไรคะ');
    expect(parse(out)).toEqual(changed);
    expect(out.split('\n').length - text.split('\n').length).toBeLessThan(8);
    expect(applyToYaml(text, def, deleteNode(def, 'not_sent'))).not.toContain('not_sent:');
  });
});

describe('a draft compared with the live version', () => {
  it('marks added, changed (fields or a reworded text) and removed nodes', () => {
    const { def } = shipped('complaint');
    let d = setText(def, 'th', 'askWhen', 'เกิดเมื่อไรคะ');
    d = addNode(d, 'end', 'x').def;
    d = deleteNode(d, 'not_sent');
    d = setTarget(d, 'phone', 'next', 'address');
    const c = compare(def, d);
    expect(Object.fromEntries(c.marks)).toEqual({ end: 'added', phone: 'changed', when: 'changed', not_sent: 'removed' });
    expect(summaryOf(c)).toMatchObject({ added: 1, removed: 1 });
    expect(c.diff.texts.th.changed).toEqual([{ key: 'askWhen', from: def.texts.th.askWhen, to: 'เกิดเมื่อไรคะ' }]);
  });
});

describe('completion in the YAML view', () => {
  const schema = flowJsonSchema();
  const vocab = { nodes: ['ask_name', 'done'], texts: ['askName', 'bye'], actions: Object.keys(ACTIONS), conditions: Object.keys(CONDITIONS), inputs: [...INPUT_TYPES], flows: IDS, intents: ['complaint', 'track'] };
  const at = (text: string) => completionsAt(text, text.indexOf('|'), schema, vocab);
  const labels = (text: string) => at(text.replace('|', '|')).options.map((o) => o.label);
  const doc = (lines: string[]) => lines.join('\n');

  it('offers the keys the schema allows, a node’s by its kind, without those written', () => {
    expect(labels(doc(['id: x', 'st|']))).toEqual(expect.arrayContaining(['start', 'texts', 'nodes', 'intents']));
    expect(labels(doc(['id: x', 'st|']))).not.toContain('id');
    const ask = labels(doc(['nodes:', '  ask_name:', '    kind: ask', '    sl|', '    prompt: askName']));
    expect(ask).toEqual(expect.arrayContaining(['slot', 'reprompt', 'retries', 'next', 'input']));
    expect(ask).not.toContain('prompt');
    expect(ask).not.toContain('options');
  });

  it('offers node ids, text keys, input types, actions and kinds as values', () => {
    expect(labels(doc(['nodes:', '  ask_name:', '    kind: ask', '    next: d|']))).toEqual(['ask_name', 'done']);
    expect(labels(doc(['nodes:', '  ask_name:', '    kind: ask', '    prompt: |']))).toEqual(['askName', 'bye']);
    expect(labels(doc(['nodes:', '  ask_name:', '    kind: ask', '    input:', '      type: |']))).toContain('national-id');
    expect(labels(doc(['nodes:', '  x:', '    kind: action', '    action: |']))).toContain('case.file');
    expect(labels(doc(['nodes:', '  x:', '    kind: |']))).toEqual(['say', 'ask', 'choose', 'branch', 'action', 'call', 'handoff', 'end']);
    expect(labels(doc(['nodes:', '  c:', '    kind: choose', '    options:', '    - label: bye', '      next: |']))).toEqual(['ask_name', 'done']);
    expect(labels(doc(['nodes:', '  c:', '    kind: choose', '    options:', '    - label: bye', '      ne|']))).toEqual(expect.arrayContaining(['next', 'value', 'synonyms']));
  });
});

describe("the cards' words", () => {
  const words = (key: string) => [(flowsTexts.th as Record<string, string>)[key], (flowsTexts.en as Record<string, string>)[key]];
  it.each([...INPUT_TYPES.map((x) => `flows.input.${x}`), ...Object.keys(ACTIONS).map((x) => `flows.action.${x}`), ...NODE_KINDS.map((x) => `flows.kind.${x}`)])('%s is said in Thai and English', (key) => {
    const [th, en] = words(key);
    expect(th?.trim()).toBeTruthy();
    expect(en?.trim()).toBeTruthy();
  });
});

describe('a 200-node flow', () => {
  const big = generatedFlow(200);
  const g = graphOf(big);

  it('is valid, and is laid out in a few milliseconds', () => {
    expect(checkDraft(big, IDS).errors).toBe(0);
    layoutFlow(g.nodes, g.edges, big.start);
    const t0 = performance.now();
    const at = layoutFlow(g.nodes, g.edges, big.start);
    const ms = performance.now() - t0;
    console.log(`200-node layout in Node: ${ms.toFixed(1)} ms`);
    expect(at.size).toBe(200);
    expect(ms).toBeLessThan(50);
  });

  it('puts the start alone at the top, every card below a step leading to it, and no card over another', () => {
    const at = layoutFlow(g.nodes, g.edges, big.start);
    const top = Math.min(...[...at.values()].map((p) => p.y));
    expect(at.get(big.start)!.y).toBe(top);
    expect([...at.values()].filter((p) => p.y === top)).toHaveLength(1);
    for (const n of g.nodes) {
      if (n.id === big.start) continue;
      const from = g.edges.filter((e) => e.target === n.id && e.source !== n.id).map((e) => at.get(e.source)!);
      expect(from.some((p) => p.y < at.get(n.id)!.y)).toBe(true);
    }
    const cards = [...at.values()];
    for (let i = 0; i < cards.length; i++)
      for (let j = i + 1; j < cards.length; j++) {
        const [a, b] = [cards[i]!, cards[j]!];
        expect(Math.abs(a.x - b.x) >= CARD_WIDTH || Math.abs(a.y - b.y) >= CARD_HEIGHT).toBe(true);
      }
  });

  it('lays out nodes no step reaches, and steps that lead back up, without losing a card', () => {
    const nodes = [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'orphan' }, { id: 'child' }];
    const edges = [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'c' },
      { source: 'c', target: 'a' },
      { source: 'orphan', target: 'child' },
      { source: 'b', target: 'nowhere', dangling: true },
    ];
    const at = layered(nodes, edges, 'a');
    expect([...at.keys()].sort()).toEqual(['a', 'b', 'c', 'child', 'orphan']);
    expect(at.get('a')!.y).toBeLessThan(at.get('b')!.y);
    expect(at.get('b')!.y).toBeLessThan(at.get('c')!.y);
    expect(at.get('orphan')!.y).toBeLessThan(at.get('child')!.y);
  });
});
