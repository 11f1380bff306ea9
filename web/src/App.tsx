// The admin center: the sign-in screens until a user of a tenant is signed in, then the shell.
import { useSession } from './session';
import { Shell } from './shell/shell';
import { SignIn } from './shell/sign-in';

export function App() {
  const { signedIn } = useSession();
  return signedIn ? <Shell /> : <SignIn />;
}
