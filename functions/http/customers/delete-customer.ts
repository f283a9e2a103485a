import { customerRoute } from '#shared/capabilities/customers/routes';
import { appDeps } from '#shared/deps';
import { deleteCustomer } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(
  customerRoute('deleteCustomer'),
  async ({ params, caller, expectedVersion }) => {
    await deleteCustomer(appDeps(), caller, params.id, expectedVersion);
    return { status: 204 };
  },
);
