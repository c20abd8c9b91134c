import { useEffect, useState } from 'react';
import { api } from '../../api';
import { formatDate } from '../../format';
import { codeLabel } from '../../i18n';
import { Link, useUi } from '../../ui';

/**
 * The person behind the case, beside it: their other cases and chats the officer may see, their ratings, and this
 * case's own rating and comment. The server leaves out what the officer may not see without saying it exists, and
 * audits the look (it is a person's history, not one case).
 */
interface PersonView {
  anonymous: boolean;
  linked: boolean;
  cases: Array<{ number: string; category: string; status: string; channel: string; districtCode: string | null; createdAt: number }>;
  chats: Array<{ id: number; reason: string; status: string; districtCode: string | null; requestedAt: number }>;
  ratings: Array<{ subject: 'case' | 'chat'; rating: number; comment: string | null; at: number; caseNumber: string | null; handoffId: number | null; thisCase: boolean }>;
  own: { rating: number; comment: string | null; at: number } | null;
}

const stars = (n: number) => '★'.repeat(n) + '☆'.repeat(5 - n);

export function Person(p: { number: string }) {
  const { t, lang } = useUi();
  const [person, setPerson] = useState<PersonView | null>(null);
  useEffect(() => {
    api<PersonView>('GET', `/cases/${encodeURIComponent(p.number)}/person`)
      .then(setPerson)
      .catch(() => setPerson(null));
  }, [p.number]);
  if (!person) return null;
  const others = person.ratings.filter((r) => !r.thisCase);
  const average = others.length ? others.reduce((s, r) => s + r.rating, 0) / others.length : null;
  return (
    <div className="card" data-testid="person">
      <h2>{t('personTitle')}</h2>
      <p data-testid="own-rating">
        {t('ownRating')}:{' '}
        {person.own ? (
          <>
            <span className="stars" aria-label={`${person.own.rating}/5`}>{stars(person.own.rating)}</span>
            {person.own.comment ? <q className="comment">{person.own.comment}</q> : null}
          </>
        ) : (
          <span className="muted">{t('notRated')}</span>
        )}
      </p>
      {person.anonymous ? <p className="muted">{t('personAnonymous')}</p> : null}
      {!person.anonymous && person.cases.length === 0 && person.chats.length === 0 ? <p className="muted">{t('personNothingElse')}</p> : null}
      {person.cases.length ? (
        <>
          <h3>{t('personCases')}</h3>
          <ul className="plain" data-testid="person-cases">
            {person.cases.map((k) => (
              <li key={k.number}>
                <Link to={`/cases/${encodeURIComponent(k.number)}`}>{k.number}</Link> · {codeLabel(t, 'category', k.category)} · {codeLabel(t, 'status', k.status)} ·{' '}
                <span className="muted">{formatDate(k.createdAt, lang)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {person.chats.length ? (
        <>
          <h3>{t('personChats')}</h3>
          <ul className="plain" data-testid="person-chats">
            {person.chats.map((h) => (
              <li key={h.id}>
                <Link to={`/chat/${h.id}`}>{formatDate(h.requestedAt, lang)}</Link> <span className="muted">{h.status}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {others.length ? (
        <>
          <h3>
            {t('personRatings')} {average !== null ? <span className="muted">({t('averageRating', { n: average.toFixed(1) })})</span> : null}
          </h3>
          <ul className="plain" data-testid="person-ratings">
            {others.map((r, i) => (
              <li key={i}>
                <span className="stars">{stars(r.rating)}</span> {r.subject === 'case' ? r.caseNumber : t('ratingOfChat')} ·{' '}
                <span className="muted">{formatDate(r.at, lang)}</span>
                {r.comment ? <q className="comment">{r.comment}</q> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
