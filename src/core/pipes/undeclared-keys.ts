import { getMetadataStorage } from 'class-validator';
import type { ErrorDetail } from '../errors/index.js';

const declaredByClass = new WeakMap<object, ReadonlySet<string>>();

function declaredProperties(type: object): ReadonlySet<string> {
  let declared = declaredByClass.get(type);
  if (!declared) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(type as new () => object, '', true, false);
    declared = new Set(metadata.map((entry) => entry.propertyName));
    declaredByClass.set(type, declared);
  }
  return declared;
}

/** An instance of a class (a DTO), not a plain or null-prototype object such as a parsed query. */
function isDtoInstance(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const type = (value as { constructor?: unknown }).constructor;
  return typeof type === 'function' && type !== Object;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Keys of the raw input that its DTO does not declare, walking into nested DTOs.
 *
 * class-transformer silently drops keys named `constructor` or like a method of the prototype
 * chain (`toString`, `hasOwnProperty`, …), so `forbidNonWhitelisted` never sees them: without
 * this check `{"key":"a","toString":1}` would be accepted with the field ignored.
 */
export function undeclaredKeys(raw: unknown, instance: unknown, path = ''): ErrorDetail[] {
  if (!isRecord(raw) || !isDtoInstance(instance)) return [];
  const declared = declaredProperties(instance.constructor);
  return Object.keys(raw).flatMap((key) => {
    const field = path ? `${path}.${key}` : key;
    if (!declared.has(key)) return [{ field, messages: [`property ${key} should not exist`] }];
    const child = (instance as Record<string, unknown>)[key];
    const rawChild = raw[key];
    if (Array.isArray(child) && Array.isArray(rawChild)) {
      return child.flatMap((item, index) => undeclaredKeys(rawChild[index], item, `${field}.${index}`));
    }
    return undeclaredKeys(rawChild, child, field);
  });
}
