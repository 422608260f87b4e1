import { describe, expect, it } from '@jest/globals';
import { renderToString } from 'react-dom/server';
import { KContext, Measure, SecrecyFootnote } from './Measure';

describe('a suppressed measure on screen', () => {
  it('reads "< k" with its explanation as tooltip and for screen readers', () => {
    const html = renderToString(
      <KContext.Provider value={10}>
        <Measure value={null} kind="count" suppressed />
      </KContext.Provider>,
    );
    expect(html).toContain('title="secret statistique : moins de 10 utilisateurs"');
    expect(html).toContain('&lt; 10');
    expect(html).toContain('class="fr-sr-only"');
    expect(html).not.toMatch(/>0</);
  });

  it('shows a real zero as 0, without explanation', () => {
    const html = renderToString(<Measure value={0} kind="count" />);
    expect(html).toBe('0');
  });

  it('explains the secret in the footnote with the k in force', () => {
    const html = renderToString(
      <KContext.Provider value={7}>
        <SecrecyFootnote />
      </KContext.Provider>,
    );
    expect(html).toContain('secret statistique : moins de 7 utilisateurs');
  });
});
