/** The widget's styles, inside its Shadow DOM: nothing leaks out, and the host page's rules do not reach in. */
export const css = `
:host{all:initial}
*{box-sizing:border-box}
.k{--a:var(--kefu-accent,#1f6feb);--af:#fff;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei",Roboto,sans-serif;color:#1f2328;-webkit-font-smoothing:antialiased}
button,textarea{font:inherit;color:inherit;margin:0}
button{cursor:pointer}
:focus-visible{outline:2px solid var(--a);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:var(--a);color:var(--af);box-shadow:0 6px 20px rgba(0,0,0,.25);display:grid;place-items:center;z-index:2147483000;transition:transform .15s}
.launcher:hover{transform:scale(1.06)}
.launcher svg{width:28px;height:28px;fill:currentColor}
.x-icon,.k[data-open] .c-icon{display:none}
.k[data-open] .x-icon{display:block}
.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#d1242f;color:#fff;font-size:12px;line-height:20px;text-align:center}
.panel{position:fixed;right:20px;bottom:88px;width:370px;height:min(600px,calc(100vh - 110px));background:#fff;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.22);display:flex;flex-direction:column;overflow:hidden;z-index:2147483000}
.panel[hidden],.badge[hidden],.conn[hidden],.meta[hidden]{display:none}
header{background:var(--a);color:var(--af);padding:12px 14px;display:flex;align-items:center;gap:10px}
header .t{flex:1;min-width:0}
h2{font-size:16px;margin:0;font-weight:600}
.status{margin:2px 0 0;font-size:12px;opacity:.92;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.status::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;background:#3fb950;margin-right:6px;vertical-align:0}
.k[data-status=queued] .status::before{background:#f0b72f}
.k[data-status=resolved] .status::before{background:#aaa}
.x{background:transparent;border:0;color:inherit;width:32px;height:32px;border-radius:8px;font-size:22px;line-height:1}
.x:hover{background:rgba(255,255,255,.18)}
.conn{background:#fff8c5;color:#7d4e00;font-size:12px;padding:4px 14px}
.log{list-style:none;margin:0;padding:14px;flex:1;overflow-y:auto;background:#f6f8fa;display:flex;flex-direction:column;gap:10px}
.m{display:flex;flex-direction:column;align-items:flex-start;max-width:85%}
.who{font-size:12px;color:#656d76;margin:0 0 2px 2px}
.b{padding:8px 12px;border-radius:12px;background:#fff;border:1px solid #e4e7eb;white-space:pre-wrap;overflow-wrap:anywhere;border-top-left-radius:4px}
.agent .b{background:#e8f5e9;border-color:#b7dfba}
.agent .who{color:#1a7f37;font-weight:600}
.customer{align-self:flex-end;align-items:flex-end}
.customer .b{background:var(--a);color:var(--af);border:0;border-radius:12px;border-top-right-radius:4px}
.customer.pending .b{opacity:.65}
.customer.failed .b{background:#ffebe9;color:#82071e;border:1px solid #ff8182}
.system{align-self:center;max-width:92%;align-items:center}
.system .b{background:transparent;border:0;color:#656d76;font-size:12px;text-align:center;padding:2px 8px}
.meta{font-size:11px;color:#656d76;margin-top:2px}
.failed .meta{color:#d1242f}
.meta button{background:none;border:0;color:var(--a);text-decoration:underline;padding:0 0 0 6px;font-size:11px}
.att{display:flex;flex-direction:column;gap:4px;margin-top:4px}
.att a{color:var(--a);font-size:13px;word-break:break-all}
.att img{max-width:220px;max-height:180px;border-radius:8px;border:1px solid #e4e7eb}
.bar{display:flex;gap:8px;padding:8px 12px 0;border-top:1px solid #e4e7eb;background:#fff}
.human{border:1px solid var(--a);color:var(--a);background:#fff;border-radius:14px;padding:2px 12px;font-size:13px}
.human:hover{background:#f0f6ff}
.human:disabled{opacity:.5;cursor:default}
form{display:flex;gap:8px;padding:8px 12px 12px;background:#fff;align-items:flex-end}
textarea{flex:1;resize:none;border:1px solid #d0d7de;border-radius:10px;padding:8px 10px;min-height:38px;max-height:120px;background:#fff;outline:0}
textarea:focus{border-color:var(--a);box-shadow:0 0 0 2px rgba(31,111,235,.2)}
.send{border:0;border-radius:10px;background:var(--a);color:var(--af);padding:0 16px;height:38px;font-weight:600}
.send:disabled{opacity:.5;cursor:default}
.k[data-pos=left] .launcher,.k[data-pos=left] .panel{right:auto;left:20px}
.k[data-off] .bar,.k[data-off] form{display:none}
@media (max-width:480px){.panel,.k[data-pos=left] .panel{right:0;left:0;bottom:0;width:100vw;height:100%;border-radius:0}.k[data-open] .launcher{display:none}}
@media (prefers-reduced-motion:reduce){.launcher{transition:none}}
`;
