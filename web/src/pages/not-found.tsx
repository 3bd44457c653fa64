import { Page } from '../components/ui';

export function NotFound() {
  return (
    <Page title="Page not found">
      <p>
        Nothing lives at this address. <a href="/">Back to browsing</a>.
      </p>
    </Page>
  );
}
