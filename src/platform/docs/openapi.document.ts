import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BEARER_SCHEME } from '../../auth/decorators/scopes.decorator.js';
import { errorResponseObject, rateLimitHeaderObjects } from '../../common/decorators/api-errors.decorator.js';
import { ErrorEnvelopeSchema } from '../../common/decorators/envelope.schemas.js';

type Operation = OpenAPIObject['paths'][string]['get'] & object;
type Schema = Record<string, unknown>;

const DESCRIPTION = [
  'Receives structured data over HTTP, validates it, stores it and serves it back.',
  '',
  'Every 2xx body with content is a success envelope (`status`, `data`, `timestamp`, `requestId`; lists add `page`);',
  'every non-2xx body is the error envelope, whose `error.code` comes from a stable catalogue (`ErrorCode`).',
  'Every route also answers `404 NOT_FOUND` for unknown paths, `408 REQUEST_TIMEOUT` and `431 HEADERS_TOO_LARGE`',
  'from the HTTP layer. Responses over 1 KiB are compressed (br, gzip) when the client accepts it.',
  '',
  'Scopes: `data:read`, `data:write`; `data:admin` implies both, on every owner\'s records.',
].join('\n');

/** Ops with a bearer requirement name their scopes in the description, for readers of the UI. */
function describeScopes(operation: Operation): void {
  const scopes = (operation.security ?? []).flatMap((requirement) => requirement[BEARER_SCHEME] ?? []);
  if (scopes.length === 0) return;
  const line = `Requires scope ${scopes.map((scope) => `\`${scope}\``).join(' and ')}.`;
  operation.description = operation.description ? `${operation.description}\n\n${line}` : line;
}

/**
 * The global rate limit counts every authenticated request (public routes are health, metrics
 * and docs, which it exempts), so each bearer operation can answer 429 and carries the
 * RateLimit headers on its successes. Added here rather than on each handler, as the guard is.
 */
function documentRateLimit(operation: Operation): void {
  if ((operation.security ?? []).length === 0) return;
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    if (!response || !status.startsWith('2') || '$ref' in response) continue;
    response.headers = { ...response.headers, ...rateLimitHeaderObjects() };
  }
  operation.responses = { ...operation.responses, '429': errorResponseObject(['RATE_LIMITED']) };
}

function referencedSchema(document: OpenAPIObject, schema: unknown): Schema | undefined {
  const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
  if (typeof ref !== 'string') return undefined;
  return document.components?.schemas?.[ref.replace('#/components/schemas/', '')] as Schema | undefined;
}

/**
 * The global validation pipe refuses undeclared properties (whitelist + forbidNonWhitelisted),
 * so every DTO schema reached from a request body is closed, nested DTOs included.
 */
function closeBodySchema(document: OpenAPIObject, schema: unknown, seen = new Set<Schema>()): void {
  const target = referencedSchema(document, schema);
  if (!target || seen.has(target)) return;
  seen.add(target);
  target.additionalProperties = false;
  for (const property of Object.values((target.properties ?? {}) as Record<string, Schema>)) {
    for (const candidate of [property, property.items, ...((property.oneOf ?? property.anyOf ?? property.allOf ?? []) as unknown[])]) {
      closeBodySchema(document, candidate, seen);
    }
  }
}

function operationsOf(document: OpenAPIObject): Operation[] {
  const methods = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;
  return Object.values(document.paths).flatMap((item) => methods.map((method) => item[method]).filter((op) => op !== undefined));
}

/** The OpenAPI 3.1 document of every controller in the app. Built once, when first requested. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('data-api')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT whose `scope` claim holds the route\'s scopes.' },
      BEARER_SCHEME,
    )
    .build();
  // The envelope is in the document even for routes that document no error.
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorEnvelopeSchema] });
  for (const operation of operationsOf(document)) {
    describeScopes(operation);
    documentRateLimit(operation);
    const body = operation.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined;
    for (const media of Object.values(body?.content ?? {})) closeBodySchema(document, media.schema);
  }
  return document;
}
