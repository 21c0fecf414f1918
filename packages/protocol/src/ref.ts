/**
 * Embeds one schema in another by `$ref` to its `$id` rather than by copy. Ajv refuses a
 * schema in which one `$id` appears twice (a ServerEvent holds Cell in several events), and
 * references give the OpenAPI document one named component per resource. The price: whoever
 * checks a schema must know all of them — `fastify.addSchema` each of `schemas`, or use
 * `validate`, which does that for you.
 */
import { type Static, type TSchema, type TUnsafe, Type } from "@sinclair/typebox";

/** A `{ $ref: schema.$id }` schema that has the static type of `schema`. */
export function ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  const id = schema.$id;
  if (typeof id !== "string") throw new TypeError("ref: the schema has no $id");
  return Type.Unsafe<Static<T>>(Type.Ref(id));
}
