import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { z } from 'zod';
import { apiErrorSchema } from '../../contracts/errors';
import type { AppEnv } from './app-env';
import { validationError } from './http-error';

/** A router whose validation failures answer with the one error shape, field by field. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error);
    },
  });
}

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

const error = (description: string) => json(apiErrorSchema, description);

/** The error answers every signed-in route may give. */
export const errorResponses = {
  400: error('The request is malformed or a field is invalid; `fields` says which.'),
  401: error('Not signed in.'),
  403: error('Your role or a rule does not allow this; the message says which.'),
  404: error('No such resource.'),
} satisfies RouteConfig['responses'];

export const rateLimitedResponse = { 429: error('Too many failed sign-ins; see the Retry-After header.') };
export const conflictResponse = { 409: error('A name or extension is already taken.') };
export const noContent = { 204: { description: 'Done.' } };
