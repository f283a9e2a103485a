/** The system area function: health, OpenAPI document, the docs page and its files (all public). */
import { systemRoutes } from '#shared/capabilities/system/routes';
import { router } from '#shared/http/handler';
import { handler as docs } from './docs.ts';
import { handler as docsAsset } from './docs-asset.ts';
import { handler as health } from './health.ts';
import { handler as openapi } from './openapi.ts';

export const handler = router('system', systemRoutes, { health, openapi, docs, docsAsset });
