/** The consent area function: subscription types, subscriptions and their ledger, suppressions, unsubscribe. */
import { consentRoutes } from '#shared/capabilities/consent/routes';
import { router } from '#shared/http/handler';
import { handler as deleteSuppression } from './delete-suppression.ts';
import { handler as getSubscriptionTypes } from './get-subscription-types.ts';
import { handler as getSubscriptions } from './get-subscriptions.ts';
import { handler as getSuppression } from './get-suppression.ts';
import { handler as listConsentHistory } from './list-consent-history.ts';
import { handler as listSuppressions } from './list-suppressions.ts';
import { handler as preferencePage } from './preference-page.ts';
import { handler as putSubscriptionTypes } from './put-subscription-types.ts';
import { handler as putSubscriptions } from './put-subscriptions.ts';
import { handler as putSuppression } from './put-suppression.ts';
import { handler as savePreferences } from './save-preferences.ts';
import { handler as unsubscribeOneClick } from './unsubscribe-one-click.ts';

export const handler = router('consent', consentRoutes, {
  getSubscriptionTypes,
  putSubscriptionTypes,
  getSubscriptions,
  putSubscriptions,
  listConsentHistory,
  listSuppressions,
  getSuppression,
  putSuppression,
  deleteSuppression,
  unsubscribeOneClick,
  preferencePage,
  savePreferences,
});
