/**
 * The stage settings the local cloud runs with: dev's (`infra/config/stages.ts`), the stage CDK
 * deploys for developers, so a function's timeout, memory and environment and the API's CORS are
 * the ones dev has in AWS. Only the stage's name differs: `local` (table `relay-local`, bus
 * `relay-local`).
 */
import { type StageConfig, stageConfig } from '#infra/config/stages';

export const LOCAL_STAGE = 'local';

/** The stage config whose settings the local cloud applies. */
export const localStageConfig = (): StageConfig => stageConfig('dev');
