/** A small input for a table cell that saves when the person leaves it (or presses Enter). */
import { useEffect, useState } from 'react';
import { Input, InputNumber } from 'antd';

interface NumberProps {
  kind: 'number';
  value: number;
  onCommit: (value: number) => void;
}
interface TextProps {
  kind: 'text';
  value: string | null;
  onCommit: (value: string | null) => void;
}
type CommitOnBlurInputProps = (NumberProps | TextProps) & { label: string; disabled?: boolean; testId?: string };

export function CommitOnBlurInput(props: CommitOnBlurInputProps) {
  const { label, disabled, testId } = props;
  const [draft, setDraft] = useState<string>(props.value === null ? '' : String(props.value));
  useEffect(() => setDraft(props.value === null ? '' : String(props.value)), [props.value]);

  if (props.kind === 'number') {
    const commit = () => {
      const next = draft === '' ? 0 : Number(draft);
      if (Number.isSafeInteger(next) && next >= 0 && next !== props.value) props.onCommit(next);
    };
    return (
      <InputNumber
        size="small"
        min={0}
        max={365}
        precision={0}
        style={{ width: 72 }}
        aria-label={label}
        data-testid={testId}
        disabled={disabled}
        value={draft === '' ? null : Number(draft)}
        onChange={(v) => setDraft(v === null ? '' : String(v))}
        onBlur={commit}
        onPressEnter={commit}
      />
    );
  }
  const commit = () => {
    const next = draft.trim() === '' ? null : draft.trim();
    if (next !== props.value) props.onCommit(next);
  };
  return (
    <Input.TextArea
      size="small"
      autoSize={{ minRows: 1, maxRows: 4 }}
      style={{ minWidth: 220 }}
      aria-label={label}
      data-testid={testId}
      disabled={disabled}
      value={draft}
      maxLength={1000}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
    />
  );
}
