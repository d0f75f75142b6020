import { Component } from 'react';
import type { ReactNode } from 'react';

type Props = { what: string; children: ReactNode };
type State = { failed: boolean };

/** Keeps the rest of the shell usable when one panel (e.g. a lazily loaded chunk) fails. */
export class PanelErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div role="alert" className="panel-error">
        <p>The {this.props.what} could not be loaded. Reload the page to try again.</p>
        <button type="button" className="button button-secondary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
