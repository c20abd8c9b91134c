import type { FlowDefinition } from '../definition/types';
import type { FlowRef } from './state';
import type { FlowSet } from './types';

/**
 * The flows a step may use, held in memory: every version it might need (the pinned ones of the conversation
 * and the live ones) and which version of each flow is live.
 */
export class MemoryFlowSet implements FlowSet {
  private readonly byRef = new Map<string, FlowDefinition>();
  private readonly liveList: FlowDefinition[] = [];

  constructor(definitions: Iterable<FlowDefinition>, live?: ReadonlyMap<string, number>) {
    const newest = new Map<string, number>();
    for (const d of definitions) {
      this.byRef.set(`${d.id}@${d.version}`, d);
      newest.set(d.id, Math.max(newest.get(d.id) ?? 0, d.version));
    }
    for (const [id, version] of live ?? newest) {
      const d = this.byRef.get(`${id}@${version}`);
      if (d) this.liveList.push(d);
    }
  }

  get(ref: FlowRef): FlowDefinition | undefined {
    return this.byRef.get(`${ref.id}@${ref.version}`);
  }

  live(id: string): FlowDefinition | undefined {
    return this.liveList.find((d) => d.id === id);
  }

  liveFlows(): readonly FlowDefinition[] {
    return this.liveList;
  }
}
