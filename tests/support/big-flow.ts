import type { FlowDefinition, FlowNode } from '../../flows/definition/types';

/**
 * A valid flow of `n` nodes, for the editor's speed: questions, choices of up to six options, branches, messages
 * and actions, every node reachable from the start, each leading only forward (so no loop lacks a question), the
 * last one the end. Deterministic, so two runs measure the same flow.
 */
export function generatedFlow(n: number, id = 'bigflow'): FlowDefinition {
  const th: Record<string, string> = { title: 'ขั้นตอนทดสอบ' };
  const en: Record<string, string> = { title: 'Test flow' };
  const text = (key: string, t: string, e: string) => {
    th[key] = t;
    en[key] = e;
    return key;
  };
  const name = (i: number) => `n${String(i).padStart(3, '0')}`;
  const ahead = (i: number, k: number) => name(Math.min(n - 1, i + k));
  const nodes: Record<string, FlowNode> = {};
  const kinds = ['choose', 'ask', 'say', 'branch', 'ask', 'action', 'say'] as const;
  for (let i = 0; i < n; i++) {
    const id = name(i);
    if (i === n - 1) {
      nodes[id] = { kind: 'end', message: text(`${id}_bye`, 'ขอบคุณค่ะ', 'Thank you.') };
      continue;
    }
    const kind = kinds[i % kinds.length]!;
    switch (kind) {
      case 'choose': {
        const count = 2 + (i % 5);
        nodes[id] = {
          kind,
          prompt: text(`${id}_ask`, `ข้อ ${i}: เลือกหนึ่งข้อค่ะ`, `Step ${i}: choose one.`),
          slot: `choice${i}`,
          options: Array.from({ length: count }, (_, k) => ({ label: text(`${id}_o${k}`, `ทาง ${k + 1}`, `Way ${k + 1}`), value: `v${k}`, next: ahead(i, 1 + (k % 3)) })),
        };
        break;
      }
      case 'ask':
        nodes[id] = {
          kind,
          input: { type: i % 3 === 0 ? 'date' : 'text' },
          slot: `answer${i}`,
          prompt: text(`${id}_ask`, `ข้อ ${i}: กรุณาตอบค่ะ`, `Step ${i}: please answer.`),
          reprompt: text(`${id}_again`, 'ขอคำตอบอีกครั้งค่ะ', 'Once more, please.'),
          retries: 3,
          next: ahead(i, 1),
        };
        break;
      case 'say':
        nodes[id] = { kind, messages: [{ text: text(`${id}_say`, `ข้อความที่ ${i} ถึงคุณ {{name}}`, `Message ${i} for {{name}}`) }], next: ahead(i, 1) };
        break;
      case 'branch':
        nodes[id] = { kind, cases: [{ when: { exists: `answer${i - 2}` }, next: ahead(i, 2) }, { when: { equals: [`choice${i - 3}`, 'v0'] }, next: ahead(i, 3) }], otherwise: ahead(i, 1) };
        break;
      case 'action':
        nodes[id] = { kind, action: 'case.listMine', outcomes: { some: ahead(i, 1), none: ahead(i, 2) } };
        break;
    }
  }
  return { id, version: 1, texts: { th, en }, start: name(0), nodes };
}
