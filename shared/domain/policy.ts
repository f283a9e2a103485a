/**
 * Object-level access rules (route scopes are checked at the edge; these check the record).
 * Admins may do anything. Other writers may change a record only when they own it or it has no
 * owner, and only admins may assign ownership to someone else.
 */
import type { Caller } from '#shared/auth/claims';
import { ForbiddenError } from '#shared/errors';

export interface Owned {
  ownerId?: string | undefined;
}

export const assertCanModify = (caller: Caller, record: Owned, what: string): void => {
  if (caller.isAdmin) return;
  if (record.ownerId !== undefined && record.ownerId !== caller.sub) {
    throw new ForbiddenError(
      `This ${what} belongs to another owner; only the owner or an admin can change it.`,
    );
  }
};

/**
 * Deleting (to the recycle bin) and restoring: admins any record; other roles that may delete only
 * records they own — an unowned record is an admin's to delete.
 */
export const assertCanDelete = (caller: Caller, record: Owned, what: string): void => {
  if (caller.isAdmin) return;
  if (record.ownerId === undefined || record.ownerId !== caller.sub) {
    throw new ForbiddenError(`Only the owner of this ${what} or an admin can delete or restore it.`);
  }
};

/** The owner a write may set: non-admins can only take ownership themselves. */
export const resolveOwner = (
  caller: Caller,
  requested: string | undefined,
  current?: string,
): string | undefined => {
  if (requested === undefined) return current ?? (caller.isAdmin ? undefined : caller.sub);
  if (requested === current || requested === caller.sub || caller.isAdmin) return requested;
  throw new ForbiddenError('Only admins can assign a record to another owner.', {
    errors: [
      { path: 'body.ownerId', message: 'only admins can assign another owner', code: 'forbidden_field' },
    ],
  });
};
