/** Placeholder: this screen is being built. */
import { useI18n } from '../i18n.ts';

export function Screen() {
  const { t } = useI18n();
  return <div class="center-screen">{t('app.loading')}</div>;
}
