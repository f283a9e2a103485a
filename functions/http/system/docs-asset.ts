import { createRequire } from 'node:module';
import { docsAsset } from '#shared/capabilities/system/docs-assets';
import { systemRoute } from '#shared/capabilities/system/routes';
import { NotFoundError } from '#shared/errors';
import { httpRoute } from '#shared/http/handler';
import { readBundledFile } from './bundled-file.ts';

/** Read once per container, on first use (the health check never loads Swagger UI). */
const contents = new Map<string, string>();

/** The file next to the bundle, else the package file through node_modules (local cloud, tests). */
const read = (file: string, packageFile: string | undefined): string =>
  readBundledFile(file, packageFile && createRequire(import.meta.url).resolve(packageFile));

export const handler = httpRoute(systemRoute('docsAsset'), ({ params }) => {
  const asset = docsAsset(params.file);
  if (!asset) throw new NotFoundError('The docs page has no such file.');
  let body = contents.get(params.file);
  if (body === undefined) {
    body = read(params.file, asset.package);
    contents.set(params.file, body);
  }
  return {
    body,
    headers: {
      'content-type': asset.contentType,
      'cache-control': 'public, max-age=86400',
      'x-content-type-options': 'nosniff',
    },
  };
});
