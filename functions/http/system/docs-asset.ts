import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { docsAsset } from '#shared/capabilities/system/docs-assets';
import { systemRoute } from '#shared/capabilities/system/routes';
import { NotFoundError } from '#shared/errors';
import { httpRoute } from '#shared/http/handler';

/** Read once per container, on first use (the health check never loads Swagger UI). */
const contents = new Map<string, string>();

/**
 * The file next to the bundle (AWS: CDK copied it beside index.mjs; from source: the init script
 * beside this module), else the package file through node_modules (local cloud, tests).
 */
const read = (file: string, packageFile: string | undefined): string => {
  const beside = new URL(`./${file}`, import.meta.url);
  if (existsSync(beside) || packageFile === undefined) return readFileSync(beside, 'utf8');
  return readFileSync(createRequire(import.meta.url).resolve(packageFile), 'utf8');
};

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
