import type { ValidationError } from 'class-validator';
import { setField } from '../exceptions/api-error-messages.js';
import { jsonFieldName } from './json-field-names.js';

/**
 * Every message of every failed field, keyed by the field's JSON name as the client sent it, with
 * dotted paths for nested objects and arrays (`address.city`, `items.0.sku`). Messages that start with
 * the property name (class-validator's defaults do) are reworded with the JSON name. No value the
 * client sent is repeated.
 */
export function validationErrorsToMessages(errors: readonly ValidationError[]): Record<string, string[]> {
  const messages: Record<string, string[]> = {};
  collect(errors, '', messages);
  return messages;
}

function collect(errors: readonly ValidationError[], parentPath: string, messages: Record<string, string[]>): void {
  for (const error of errors) {
    const property = String(error.property);
    const name = jsonFieldName(error.target, property);
    const path = parentPath === '' ? name : `${parentPath}.${name}`;
    if (error.constraints !== undefined) {
      const list = Object.values(error.constraints).map(message => rename(message, property, name));
      setField(messages, path, [...(messages[path] ?? []), ...list]);
    }
    if (error.children !== undefined && error.children.length > 0) {
      collect(error.children, path, messages);
    }
  }
}

function rename(message: string, property: string, name: string): string {
  if (property === name) {
    return message;
  }
  for (const prefix of ['', 'each value in ', 'nested property ']) {
    if (message.startsWith(`${prefix}${property} `)) {
      return `${prefix}${name}${message.slice(prefix.length + property.length)}`;
    }
  }
  return message;
}
