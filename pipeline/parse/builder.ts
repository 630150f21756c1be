// Collects the records a profile reads into the nested document model, keeping each
// record under the parent its ref names, and warnings for what could not be placed.
import type { Action, Area, BBox, Measure, Objective, Provenance, Warning } from '../../schemas/index.js';

export const provenanceOf = (page: number, bbox: BBox, confidence = 1): Provenance => ({
  page,
  bbox: bbox.map((v) => Math.round(v * 100) / 100) as BBox,
  method: 'text',
  confidence,
});

export class PlanBuilder {
  readonly areas: Area[] = [];
  readonly warnings: Warning[] = [];
  private readonly objectives = new Map<string, Objective>();
  private readonly actions = new Map<string, Action>();

  warn(code: string, message: string, page: number | null = null, ref: string | null = null): void {
    this.warnings.push({ code, message, page, ref });
  }

  area(ref: string, displayRef: string, text: string, rawText: string, provenance: Provenance): Area {
    const existing = this.areas.find((a) => a.ref === ref);
    if (existing) return existing;
    const area: Area = { kind: 'area', ref, displayRef, parent: null, text, rawText, provenance, objectives: [], measures: [] };
    this.areas.push(area);
    return area;
  }

  findObjective(ref: string): Objective | undefined {
    return this.objectives.get(ref);
  }

  findAction(ref: string): Action | undefined {
    return this.actions.get(ref);
  }

  objective(area: Area, ref: string, displayRef: string, text: string, rawText: string, provenance: Provenance): Objective {
    const existing = this.objectives.get(ref);
    if (existing) {
      // A title found later (the title row of 000 prints after the number) fills an empty one.
      if (!existing.text && text) {
        existing.text = text;
        existing.rawText = rawText;
      }
      return existing;
    }
    const objective: Objective = { kind: 'objective', ref, displayRef, parent: area.ref, text, rawText, provenance, actions: [], measures: [] };
    area.objectives.push(objective);
    this.objectives.set(ref, objective);
    return objective;
  }

  action(objective: Objective, action: Omit<Action, 'kind' | 'parent' | 'measures'>): Action {
    if (this.actions.has(action.ref)) {
      this.warn('duplicate-ref', `action ${action.ref} is printed twice; the second is kept as ${action.ref}~2`, action.provenance.page, action.ref);
      action = { ...action, ref: `${action.ref}~2` };
    }
    const a: Action = { ...action, kind: 'action', parent: objective.ref, measures: [] };
    objective.actions.push(a);
    this.actions.set(a.ref, a);
    return a;
  }

  measure(parent: Area | Objective | Action, m: Omit<Measure, 'kind' | 'parent'>): Measure {
    const measure: Measure = { ...m, kind: 'measure', parent: parent.ref };
    parent.measures.push(measure);
    return measure;
  }
}
