/**
 * The progress list of one newsletter run: reading (the page's own check of the input), then the
 * stages the job reports as events (links, CRM, model), each with its status and live counts.
 */
import type { NewsletterStageEvent } from '../../core/agent/job-stages.ts';
import {
  NO_CRM_SET_UP,
  STAGE_LABELS,
  TOOLS_ONLY,
  crmDetail,
  crmRunningDetail,
  linksDetail,
  modelDetail,
  modelRunningDetail,
  type StageId,
} from './stage-wording.ts';

export type StageStatus = 'waiting' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled';

export interface Stage {
  id: StageId;
  label: string;
  status: StageStatus;
  /** Live counts in words ("42 links, 9 look like startups"). */
  detail: string;
  /** 0..1 when the stage can tell (a model download), else null. */
  progress: number | null;
}

function freshStages(): Stage[] {
  return (['reading', 'links', 'crm', 'model'] as const).map((id) => ({
    id,
    label: STAGE_LABELS[id],
    status: 'waiting',
    detail: '',
    progress: null,
  }));
}

export class StageList {
  list = $state<Stage[]>(freshStages());
  /** The stage a failure now would belong to. */
  #current: StageId = 'reading';

  get(id: StageId): Stage {
    return this.list.find((stage) => stage.id === id)!;
  }

  /** The stage that is working now, if any. */
  running(): Stage | undefined {
    return this.list.find((stage) => stage.status === 'running');
  }

  reset(): void {
    this.list = freshStages();
    this.#current = 'reading';
  }

  begin(id: StageId, detail = ''): void {
    this.#current = id;
    this.#set(id, 'running', detail);
  }

  /** A stage in progress that can tell how far it is (the model download). */
  progress(id: StageId, detail: string, fraction: number | null): void {
    const stage = this.get(id);
    stage.detail = detail;
    stage.progress = fraction;
  }

  /** Back to waiting, with a note (the model is ready but has nothing to do yet). */
  wait(id: StageId, detail: string): void {
    this.#set(id, 'waiting', detail);
  }

  finish(id: StageId, detail: string): void {
    this.#set(id, 'done', detail);
  }

  skip(id: StageId, detail: string): void {
    this.#set(id, 'skipped', detail);
  }

  /** The stage that was working failed (after the CRM, the model check is the one working). */
  fail(message: string): void {
    this.#set(this.#current, 'failed', message);
  }

  cancelRunning(): void {
    for (const stage of this.list) {
      if (stage.status === 'running') {
        stage.status = 'cancelled';
        stage.progress = null;
      }
    }
  }

  /** One event of the job, as the list shows it. */
  show(event: NewsletterStageEvent, hasCrm: boolean): void {
    switch (event.stage) {
      case 'links':
        if (event.status === 'running') return this.begin('links');
        return this.finish('links', linksDetail(event.counts));
      case 'crm':
        if (event.status === 'running') return this.begin('crm', crmRunningDetail(event.checking, event.crm));
        this.#current = 'model';
        return hasCrm ? this.finish('crm', crmDetail(event.counts)) : this.skip('crm', NO_CRM_SET_UP);
      case 'model':
        if (event.status === 'running') {
          return this.begin('model', modelRunningDetail(event.calls, event.corrected, event.step));
        }
        return event.status === 'done'
          ? this.finish('model', modelDetail(event.counts))
          : this.skip('model', TOOLS_ONLY);
    }
  }

  #set(id: StageId, status: StageStatus, detail: string): void {
    const stage = this.get(id);
    stage.status = status;
    stage.detail = detail;
    stage.progress = null;
  }
}
