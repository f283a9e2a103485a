import { customerRoute } from '#shared/capabilities/customers/routes';
import { privacyDeps } from '#shared/deps';
import { deleteCustomer } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(
  customerRoute('deleteCustomer'),
  async ({ params, caller, expectedVersion }) => {
    await deleteCustomer(privacyDeps(), caller, params.id, expectedVersion);
    return { status: 204 };
  },
);
