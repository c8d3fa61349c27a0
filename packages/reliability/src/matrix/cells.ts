/**
 * The fault matrix's cells: every operation on every store at every fault rate. An operation
 * joins with one line in OPERATIONS.
 */
import { managedCompose, managedTransfer } from './compose-and-transfer.ts';
import { managedCopy } from './managed-copy.ts';
import type { MatrixOperation } from './operation.ts';
import { type MatrixStore, STORES } from './stores.ts';

export const OPERATIONS: readonly MatrixOperation[] = [managedCopy, managedCompose, managedTransfer];

export const FAULT_RATES: readonly number[] = [0.05, 0.2];

export interface Cell {
  operation: MatrixOperation;
  store: MatrixStore;
  rate: number;
  /** `managed copy × MinIO × 5%`. */
  name: string;
}

export const CELLS: readonly Cell[] = OPERATIONS.flatMap((operation) =>
  Object.values(STORES).flatMap((store) =>
    FAULT_RATES.map((rate) => ({
      operation,
      store,
      rate,
      name: `${operation.name} × ${store.label} × ${Math.round(rate * 100)}%`,
    })),
  ),
);
