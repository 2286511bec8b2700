import { z } from 'zod';
import { ResultStatus, Slug } from '../../../shared/services.js';
import { defineTaskType } from '../task-types.js';

/** Runs a service's check now (the health capability's `checks.runNow`), stopping when `signal` aborts. */
export type RunCheckNow = (
  serviceId: string,
  check: string,
  signal: AbortSignal,
) => Promise<{ status: ResultStatus; output: string }>;

/** `check {serviceId, check}`: the task succeeds with the check's verdict, whatever it is. */
export const checkTask = (runCheck: RunCheckNow) =>
  defineTaskType({
    name: 'check',
    description: "Runs a service's health check now and returns its verdict.",
    payload: z.object({ serviceId: Slug, check: Slug }).strict(),
    async run({ serviceId, check }, { signal, log }) {
      const result = await runCheck(serviceId, check, signal);
      log(`${serviceId}/${check}: ${result.status} ${result.output}`);
      return { status: ResultStatus.parse(result.status), output: result.output };
    },
  });
