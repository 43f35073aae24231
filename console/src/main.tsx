import { render } from 'preact';

function App() {
  return <h1>Kefu 客服</h1>;
}

render(<App />, document.getElementById('app')!);
