/** The audit log repository (DynamoDB: `shared/db/audit-store.ts`). */
import type { Page } from '#shared/db/pagination';
import type { AuditEntry, AuditQuery } from '#shared/domain/audit/schemas';

export interface AuditStore {
  /** One entity's trail or one actor's writes, newest first (`query` is validated: exactly one form). */
  list(query: AuditQuery): Promise<Page<AuditEntry>>;
}
