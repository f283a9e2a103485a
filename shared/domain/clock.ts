/** Time and id sources, injectable so services stay deterministic under test. */
import { monotonicFactory } from 'ulid';

export interface Clock {
  now(): Date;
  newId(): string;
}

const ulid = monotonicFactory();

export const systemClock: Clock = {
  now: () => new Date(),
  newId: () => ulid(),
};
