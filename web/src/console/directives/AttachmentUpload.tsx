import { useEffect, useRef, useState } from 'react';
import { Button, Upload, type UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { MAX_ATTACHMENT_BYTES } from '../../../../common/schemas/files.js';
import { attachmentUrl, uploadAttachment } from '../../api/files';
import { useReportError } from '../../components/apiErrors';

/**
 * Files uploaded as soon as they are picked (POST /attachments); the form's value is their ids, which
 * the create body links. A file the server refuses (type, size) is said at once and left out.
 * `initial`: files already linked (a directive being corrected), listed first and removable.
 */
export function AttachmentUpload({
  value,
  onChange,
  accept,
  max = 20,
  testId,
  label,
  initial = [],
}: {
  value?: number[];
  onChange?: (ids: number[]) => void;
  accept?: string;
  max?: number;
  testId?: string;
  label?: string;
  initial?: readonly { id: number; fileName: string }[];
}) {
  const { t } = useTranslation();
  const report = useReportError();
  const [files, setFiles] = useState<(UploadFile & { attachmentId?: number })[]>(() =>
    initial.map((a) => ({ uid: `linked-${a.id}`, name: a.fileName, status: 'done', url: attachmentUrl(a.id), attachmentId: a.id })),
  );
  // The ids follow the list of uploaded files (several may finish at once, in any order).
  const uploaded = files.flatMap((f) => (f.attachmentId === undefined ? [] : [f.attachmentId]));
  const key = uploaded.join(',');
  const emit = useRef(onChange);
  emit.current = onChange;
  useEffect(() => {
    if (key !== (value ?? []).join(',')) emit.current?.(key ? key.split(',').map(Number) : []);
  }, [key]);

  return (
    <Upload
      accept={accept}
      multiple
      fileList={files}
      maxCount={max}
      beforeUpload={(file) => {
        if (file.size > MAX_ATTACHMENT_BYTES) {
          report(new Error(t('directives.upload.tooBig', { mb: MAX_ATTACHMENT_BYTES / 1024 / 1024 })));
          return Upload.LIST_IGNORE;
        }
        return true;
      }}
      customRequest={({ file, onSuccess, onError }) => {
        uploadAttachment(file as File).then(
          (a) => {
            setFiles((list) => list.map((f) => (f.uid === (file as UploadFile).uid ? { ...f, status: 'done', attachmentId: a.id } : f)));
            onSuccess?.(a);
          },
          (e: Error) => {
            report(e);
            setFiles((list) => list.filter((f) => f.uid !== (file as UploadFile).uid));
            onError?.(e);
          },
        );
      }}
      onChange={({ fileList }) => setFiles((prev) => fileList.map((f) => ({ ...f, attachmentId: prev.find((p) => p.uid === f.uid)?.attachmentId })))}
    >
      <Button icon={<UploadOutlined />} data-testid={testId}>
        {label ?? t('directives.upload.pick')}
      </Button>
    </Upload>
  );
}
