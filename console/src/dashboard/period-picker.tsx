/** The period controls the dashboard and the finance screen share: presets, and a custom range with from / to dates. */
export interface PeriodPickerProps<P extends string> {
  readonly presets: readonly P[];
  readonly preset: P;
  readonly custom: { readonly from: string; readonly to: string };
  /** Labels: `preset:<p>`, `from`, `to`, `apply`. */
  readonly label: (key: string) => string;
  choose(preset: P): void;
  setCustom(custom: { from: string; to: string }): void;
  apply(range: { from?: string; to?: string }): void;
}

export function PeriodPicker<P extends string>({ presets, preset, custom, label, choose, setCustom, apply }: PeriodPickerProps<P>) {
  return (
    <>
      <div class="segmented" role="group">
        {presets.map((p) => (
          <button key={p} type="button" class={preset === p ? 'active' : ''} aria-pressed={preset === p} data-testid={`period-${p}`} onClick={() => choose(p)}>
            {label(`preset:${p}`)}
          </button>
        ))}
      </div>
      {preset === 'custom' && (
        <form
          class="period-form"
          onSubmit={(e) => {
            e.preventDefault();
            apply({ ...(custom.from ? { from: custom.from } : {}), ...(custom.to ? { to: custom.to } : {}) });
          }}
        >
          <label>
            {label('from')} <input type="date" value={custom.from} data-testid="period-from" onInput={(e) => setCustom({ ...custom, from: e.currentTarget.value })} />
          </label>
          <label>
            {label('to')} <input type="date" value={custom.to} data-testid="period-to" onInput={(e) => setCustom({ ...custom, to: e.currentTarget.value })} />
          </label>
          <button type="submit" class="button button-small button-primary" data-testid="period-apply">
            {label('apply')}
          </button>
        </form>
      )}
    </>
  );
}
