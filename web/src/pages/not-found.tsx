// Any hash route the route table does not know.
import { Link, Text } from '@fluentui/react-components';
import { Page } from '../components/page';
import { href } from '../router';

export default function NotFoundPage() {
  return (
    <Page title="Page not found">
      <Text>
        The admin center has no page at this address. <Link href={href('/')}>Go to the setup checklist</Link>.
      </Text>
    </Page>
  );
}
