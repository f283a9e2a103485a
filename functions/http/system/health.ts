import { config } from '#shared/config';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute('health', () => ({ body: { status: 'ok', stage: config().stage } }));
