/** The agent console: a Preact single-page app served at /console (locally by the runtime, in AWS by CloudFront). */
import { render } from 'preact';
import { App } from './app.tsx';
import './styles.css';

render(<App />, document.getElementById('app')!);
