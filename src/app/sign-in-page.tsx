import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { signInSchema } from '../../contracts/session';
import { PendingButton } from '../lib/pending-button';
import { TextField } from '../lib/text-field';
import { asSentence } from '../lib/sentence';
import { useSignIn } from './session-queries';
import { describeSignInError } from './sign-in-error';
import type { SignInField, SignInProblem } from './sign-in-error';

const noProblem: SignInProblem = { message: null, fields: {} };

export function SignInPage() {
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<SignInProblem>(noProblem);
  // Each failed attempt moves focus once it has rendered its messages, so a screen reader
  // reads the field together with its error.
  const [attempt, setAttempt] = useState<{ count: number; focus: SignInField }>({
    count: 0,
    focus: 'username',
  });
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const input = attempt.focus === 'username' ? usernameRef.current : passwordRef.current;
    input?.focus();
    if (attempt.count > 0) input?.select();
  }, [attempt]);

  function showProblem(next: SignInProblem) {
    setProblem(next);
    const firstInvalid = (['username', 'password'] as const).find((field) => next.fields[field]);
    setAttempt((previous) => ({ count: previous.count + 1, focus: firstInvalid ?? 'password' }));
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (signIn.isPending) return;
    const parsed = signInSchema.safeParse({ username: username.trim(), password });
    if (!parsed.success) {
      const fields: SignInProblem['fields'] = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if (field === 'username' || field === 'password') fields[field] ??= asSentence(issue.message);
      }
      showProblem({ message: null, fields });
      return;
    }
    setProblem(noProblem);
    signIn.mutate(parsed.data, {
      onError(error) {
        showProblem(describeSignInError(error));
      },
    });
  }

  return (
    <main className="sign-in-page">
      <title>Sign in · Switchboard</title>
      <div className="sign-in-card">
        <div className="brand brand-large" aria-hidden="true">
          <img src="/favicon.svg" alt="" width="32" height="32" />
          Switchboard
        </div>
        <h1 className="sign-in-title">Sign in</h1>
        <p className="sign-in-lead">Use the username and password your administrator gave you.</p>
        <form className="sign-in-form" onSubmit={handleSubmit} noValidate aria-label="Sign in">
          {problem.message ? (
            <p key={attempt.count} role="alert" className="form-alert">
              {problem.message}
            </p>
          ) : null}
          <TextField
            ref={usernameRef}
            label="Username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            error={problem.fields.username}
            required
          />
          <TextField
            ref={passwordRef}
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={problem.fields.password}
            required
          />
          <PendingButton type="submit" pending={signIn.isPending} pendingLabel="Signing in…">
            Sign in
          </PendingButton>
        </form>
      </div>
    </main>
  );
}
