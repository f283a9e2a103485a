/**
 * CDK construct of the system capability: health, OpenAPI and docs (public routes, no table
 * grant). The docs page's files (Swagger UI) and the generated OpenAPI document are copied next
 * to the bundle, not bundled.
 */
import { docsAssetSources } from '#shared/capabilities/system/docs-assets';
import { system } from '#shared/capabilities/system/index';
import { OPENAPI_DOC_PATH } from '#shared/http/openapi-file';
import type { RelayHttpApi } from '../http-api.ts';
import { CapabilityConstruct, type CapabilityProps } from './capability.ts';

export class SystemCapability extends CapabilityConstruct {
  static readonly capability = system;

  static acknowledgements(app: string): string[] {
    return CapabilityConstruct.expectedAcknowledgements(system, app);
  }

  constructor(scope: RelayHttpApi, props: Omit<CapabilityProps, 'httpApi'>) {
    super(scope, system, props, { assets: [...docsAssetSources(), OPENAPI_DOC_PATH] });
  }
}
