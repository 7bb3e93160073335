import { useCallback } from 'react';
import { App } from 'antd';
import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import i18n from '../i18n';

/** A server field reason in the user's language when we know it; otherwise as the server wrote it. */
export function serverText(msg: string): string {
  const key = `serverMessages.${msg}`;
  return !/[.:]/.test(msg) && i18n.exists(key) ? i18n.t(key as 'serverMessages.already in use') : msg;
}

/** The translated kind of error, followed by the server's own message when it says more (in the user's language when we know it). */
export function describeError(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    const kind = t(`errors.${err.code}`);
    const generic = ['Invalid input', 'Internal error', 'Network error', 'Unexpected answer from the server', ''];
    return generic.includes(err.message) ? kind : `${kind} · ${serverText(err.message)}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Put a validation error's `fields` onto the form items they name (`tags.0` goes to `tags`).
 * Returns the fields no form item carries, so the caller can say them another way.
 */
export function applyFieldErrors(form: FormInstance, err: ApiError, known: readonly string[]): Record<string, string> {
  const rest: Record<string, string> = {};
  const onForm: { name: string; errors: string[] }[] = [];
  for (const [path, msg] of Object.entries(err.fields)) {
    const name = path.split('.')[0] ?? path;
    if (known.includes(name)) onForm.push({ name, errors: [serverText(msg)] });
    else rest[path] = msg;
  }
  form.setFields(onForm);
  return rest;
}

/**
 * One way to report a failed call: field errors onto the form when there is one, everything else
 * (and the server's message) as a toast.
 */
export function useReportError() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return useCallback(
    (err: unknown, form?: { instance: FormInstance; fields: readonly string[] }) => {
      if (err instanceof ApiError && form && Object.keys(err.fields).length > 0) {
        const rest = applyFieldErrors(form.instance, err, form.fields);
        const leftover = Object.values(rest).map(serverText);
        if (leftover.length === 0) {
          void message.error(`${describeError(t, err)} — ${t('errors.checkFields')}`);
          return;
        }
        void message.error(`${describeError(t, err)} (${leftover.join('; ')})`);
        return;
      }
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) {
        const detail = Object.values(err.fields).map(serverText);
        void message.error(`${describeError(t, err)} (${detail.join('; ')})`);
        return;
      }
      void message.error(describeError(t, err));
    },
    [t, message],
  );
}
