import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { CreditAccount } from '../../../contracts/credit';
import { actorOfMe } from '../../../contracts/policy/actor-of-me';
import { canAllocateCredit, canManageAccount, requireRole } from '../../../contracts/policy/console-access';
import type { Me } from '../../../contracts/users';
import { isApiRequestError } from '../../lib/api-client';
import { failureMessage, useToaster } from '../../lib/toast-provider';
import { TableScroll } from '../../lib/table-scroll';
import { QueryState } from '../query-state';
import { useAdjustAccount, useImportRates, useMoveCredit } from './credit-mutations';
import { creditQueries } from './credit-queries';

/**
 * The account's credit: its balance (admins pay money in or take it out), each profile's credit
 * (supervisors and admins allocate it and take it back; a supervisor not on their own profile),
 * and the rate table that prices trunk calls (CSV export; admins import).
 */
export function CreditScreen({ me }: { me: Me }) {
  const account = useQuery(creditQueries.account());
  const isAdmin = canManageAccount(actorOfMe(me)).allowed;
  return (
    <div className="screen">
      <QueryState query={account} what="credit">
        {(data) => (
          <>
            <AccountSummary account={data} canAdjust={isAdmin} />
            <ProfileCreditTable account={data} me={me} />
          </>
        )}
      </QueryState>
      <RatesSection canImport={isAdmin} />
    </div>
  );
}

function AccountSummary({ account, canAdjust }: { account: CreditAccount; canAdjust: boolean }) {
  const adjust = useAdjustAccount();
  const toaster = useToaster();
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | null>(null);
  const amountId = useId();

  function submit(kind: 'add' | 'remove') {
    setError(null);
    adjust.mutate(
      { kind, amount: amount.trim(), note: '' },
      {
        onSuccess(result) {
          toaster.success(
            `${kind === 'add' ? 'Added' : 'Removed'} ${result.currency} ${amount.trim()}: the balance is ${result.currency} ${result.balance}.`,
          );
          setAmount('');
        },
        onError: (failure) =>
          setError(
            isApiRequestError(failure) ? (failure.fields.amount ?? failure.message) : failureMessage(failure),
          ),
      },
    );
  }

  return (
    <section aria-labelledby={`${amountId}-title`}>
      <h4 id={`${amountId}-title`}>Account</h4>
      <dl className="credit-summary">
        <dt>Balance (not allocated)</dt>
        <dd>
          {account.currency} {account.balance}
        </dd>
        <dt>Allocated to profiles</dt>
        <dd>
          {account.currency} {account.allocated}
        </dd>
        <dt>Charged for calls</dt>
        <dd>
          {account.currency} {account.charged}
        </dd>
      </dl>
      {canAdjust ? (
        <form
          className="inline-form"
          onSubmit={(event: FormEvent) => (event.preventDefault(), submit('add'))}
        >
          <label htmlFor={amountId}>Amount ({account.currency})</label>
          <input
            id={amountId}
            inputMode="decimal"
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${amountId}-error` : undefined}
          />
          <button type="submit" className="button button-primary" disabled={adjust.isPending}>
            Add to balance
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={adjust.isPending}
            onClick={() => submit('remove')}
          >
            Remove from balance
          </button>
          {error ? (
            <p id={`${amountId}-error`} role="alert" className="field-error">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}

function ProfileCreditTable({ account, me }: { account: CreditAccount; me: Me }) {
  const actor = actorOfMe(me);
  // The role half of canAllocateCredit: the column shows; each row then asks the whole rule.
  const canMove = requireRole(actor, 'supervisor').allowed;
  return (
    <section aria-label="Credit per profile">
      <h4>Credit per profile</h4>
      <TableScroll label="Credit per profile table">
        <table className="data-table">
          <caption className="visually-hidden">Credit per profile</caption>
          <thead>
            <tr>
              <th scope="col">Profile</th>
              <th scope="col">Credit</th>
              {canMove ? <th scope="col">Allocate or take back</th> : null}
            </tr>
          </thead>
          <tbody>
            {account.profiles.map((profile) => {
              const allocation = canAllocateCredit(actor, profile.profileId);
              return (
                <tr key={profile.profileId}>
                  <th scope="row">{profile.name}</th>
                  <td>
                    {account.currency} {profile.credit}
                  </td>
                  {canMove ? (
                    <td>
                      {!allocation.allowed ? (
                        <span className="field-hint">{allocation.reason}</span>
                      ) : (
                        <MoveCredit
                          profileId={profile.profileId}
                          name={profile.name}
                          currency={account.currency}
                        />
                      )}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

function MoveCredit({ profileId, name, currency }: { profileId: number; name: string; currency: string }) {
  const move = useMoveCredit();
  const toaster = useToaster();
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  function submit(direction: 'allocate' | 'take-back') {
    setError(null);
    move.mutate(
      { profileId, direction, amount: amount.trim() },
      {
        onSuccess(result) {
          const credit = result.profiles.find((p) => p.profileId === profileId)?.credit ?? '0';
          toaster.success(`${name} now holds ${currency} ${credit}.`);
          setAmount('');
        },
        onError: (failure) =>
          setError(
            isApiRequestError(failure) ? (failure.fields.amount ?? failure.message) : failureMessage(failure),
          ),
      },
    );
  }

  return (
    <form
      className="inline-form"
      onSubmit={(event: FormEvent) => (event.preventDefault(), submit('allocate'))}
    >
      <label htmlFor={id} className="visually-hidden">
        Amount for {name} ({currency})
      </label>
      <input
        id={id}
        inputMode="decimal"
        size={8}
        value={amount}
        onChange={(event) => setAmount(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <button type="submit" className="button button-secondary" disabled={move.isPending}>
        Allocate to {name}
      </button>
      <button
        type="button"
        className="button button-secondary"
        disabled={move.isPending}
        onClick={() => submit('take-back')}
      >
        Take back from {name}
      </button>
      {error ? (
        <p id={`${id}-error`} role="alert" className="field-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function RatesSection({ canImport }: { canImport: boolean }) {
  const rates = useQuery(creditQueries.rates());
  const importRates = useImportRates();
  const toaster = useToaster();
  const [errors, setErrors] = useState<[string, string][]>([]);
  const fileId = useId();

  async function chosen(file: File | undefined) {
    if (!file) return;
    setErrors([]);
    const text = await file.text();
    importRates.mutate(text, {
      onSuccess: (result) => toaster.success(`Imported ${result.imported} rates; the old table is replaced.`),
      onError(failure) {
        const lines = isApiRequestError(failure) ? Object.entries(failure.fields) : [];
        setErrors(lines.length > 0 ? lines : [['', failureMessage(failure)]]);
      },
    });
  }

  return (
    <section aria-labelledby={`${fileId}-title`}>
      <h4 id={`${fileId}-title`}>Rates</h4>
      <p>
        Trunk calls are priced by the longest matching prefix. With no rates, calls are not charged; once
        there are rates, a number no rate covers is refused.
      </p>
      <div className="screen-toolbar">
        <a className="button button-secondary" href="/api/rates/export.csv" download>
          Export rates (CSV)
        </a>
        {canImport ? (
          <label className="button button-secondary" htmlFor={fileId}>
            Import rates (CSV)…
            <input
              id={fileId}
              type="file"
              accept=".csv,text/csv"
              className="visually-hidden"
              onChange={(event) => void chosen(event.target.files?.[0])}
            />
          </label>
        ) : null}
      </div>
      {errors.length > 0 ? (
        <div role="alert" className="form-alert">
          <p>Nothing was imported:</p>
          <ul>
            {errors.map(([line, message]) => (
              <li key={line || message}>
                {line ? `${line[0]?.toUpperCase()}${line.slice(1)}: ${message}` : message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <QueryState query={rates} what="rates">
        {({ currency, items }) =>
          items.length === 0 ? (
            <p className="empty-state">There are no rates: trunk calls are not charged.</p>
          ) : (
            <TableScroll label="Rates table">
              <table className="data-table">
                <caption className="visually-hidden">Rates</caption>
                <thead>
                  <tr>
                    <th scope="col">Prefix</th>
                    <th scope="col">Description</th>
                    <th scope="col">Per minute</th>
                    <th scope="col">Billing</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((rate) => (
                    <tr key={rate.id}>
                      <th scope="row">{rate.prefix}</th>
                      <td>{rate.description}</td>
                      <td>
                        {currency} {rate.pricePerMinute}
                      </td>
                      <td>
                        {rate.firstIncrement}/{rate.nextIncrement} s
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </QueryState>
    </section>
  );
}
