/**
 * The local sentiment engine's lexicon: this project's own work, written by hand from general knowledge of Chinese
 * and English customer-service language (no entry is taken from a dataset; see docs/EVALUATION.md, "Provenance").
 *
 * One entry a line: `term weight [emotion] [#cue]`
 *  - term: lower case; Chinese in Simplified (Traditional text is folded to Simplified before matching); English
 *    phrases of up to four words are written with single spaces and match on word boundaries; write English terms
 *    without apostrophes (`doesnt work`, `cant wait`) to match both "doesn't" and "doesnt" (keep the apostrophe only
 *    for a blocker such as `he'll`, which must not read as "hell");
 *  - weight: signed polarity strength, −3 … +3 (negative < 0 < positive); 0 is a blocker: a neutral compound that
 *    stops its characters from matching a shorter term or negator (快递 is not 快 "fast", 出差 is not 差 "poor",
 *    不知道 negates nothing);
 *  - emotion: angry | anxious | disappointed | fearful | happy | surprised | disgusted (absent: polarity only);
 *  - #cue: a customer-service cue name reported with the result (complaint, threat, urgency, waiting, repeat,
 *    cancel).
 * Matching is longest-first, so a longer entry (不满意, 好吃, "not bad", "no response") overrides the rules that would
 * otherwise combine its parts. Lines starting with `//` are comments.
 */

export const ZH_LEXICON = `
// ── blockers (weight 0): compounds whose characters would otherwise match a sentiment term or a negator ──
快递 0
快餐 0
快要 0
慢慢 0
慢用 0.3
出差 0
差不多 0
差点 0
差价 0
差距 -0.5
相差 0
时差 0
误差 0
温差 0
差旅 0
差异 0
差别 0
差额 0
好像 0
好多 0
好几 0
好些 0
好在 0
好处 0.5
爱好 0
好友 0
好奇 0.3 surprised
好不容易 -0.5
不好意思 0
只好 -0.5
好吧 -0.3
正好 0.5
刚好 0.5
恰好 0.3
香港 0
香菜 0
香肠 0
香蕉 0
香菇 0
香油 0
香水 0
五香 0
香锅 0
贵宾 0
贵州 0
贵阳 0
富贵 0
贵姓 0
宝贵 0.5
珍贵 0.5
小时 0
依旧 0
仍旧 0
怀旧 0.5
硬盘 0
硬件 0
硬座 0
硬卧 0
硬币 0
淡季 0
淡定 0.5
咸菜 0
咸蛋 0
咸鸭蛋 0
臭豆腐 0
臭鳜鱼 0
心脏 0
内脏 0
急诊 0
急救 0
急性 0
滚动 0
滚筒 0
恐怕 -0.3
哪怕 0
赞助 0
棒球 0
棒棒糖 0
一星期 0
零星 0
灿烂 0.8
不断 0
不仅 0
不但 0
不知道 0
不管 0
不然 0
不一定 0
不一样 0
不同 0
不久 0
不少 0.2
不停 -0.5
不得不 -0.5
没事 0.5
没关系 0.8
别的 0
别人 0
分别 0
级别 0
类别 0
区别 0
告别 0
无论 0
无线 0
无所谓 0
所谓 -0.3
急需 -1 anxious #urgency
紧急 -1 anxious #urgency
一般来说 0
// ── complaints, threats, escalation ──
投诉 -2.5 angry #complaint
我要投诉 -3 angry #complaint
差评 -2.5 angry #complaint
给差评 -2.5 angry #complaint
中差评 -2 angry #complaint
12315 -3 angry #threat
消协 -2.5 angry #threat
消费者协会 -2.5 angry #threat
工商局 -2.5 angry #threat
工商 -1.5 angry #threat
市场监管 -2 angry #threat
曝光 -2.5 angry #threat
媒体 -1 angry #threat
起诉 -2.5 angry #threat
告你们 -3 angry #threat
法院 -1.5 angry #threat
律师 -1.5 angry #threat
报警 -2.5 angry #threat
举报 -2.5 angry #threat
维权 -2 angry #threat
上诉 -1.5 angry #threat
讨说法 -2.5 angry #threat
给个说法 -2.2 angry #complaint
讨个说法 -2.5 angry #threat
退钱 -2 angry #complaint
赔钱 -2 angry #complaint
赔偿 -1.2 angry
索赔 -1.5 angry
骗子 -3 angry
骗人 -2.5 angry
骗钱 -2.5 angry
欺骗 -2.5 angry
欺诈 -3 angry
诈骗 -3 angry
忽悠 -2 angry
坑人 -2.5 angry
坑爹 -2.5 angry
坑钱 -2.5 angry
坑货 -2.5 angry
坑 -1.2 angry
黑店 -3 angry
黑心 -2.8 angry
奸商 -3 angry
宰客 -2.8 angry
无良 -2.5 angry
无耻 -2.8 angry
不要脸 -3 angry
垃圾 -2.5 angry
辣鸡 -2.5 angry
什么破 -2.5 angry
破玩意 -2.5 angry
破东西 -2.5 angry
气死 -3 angry
气人 -2.2 angry
生气 -2 angry
愤怒 -2.5 angry
火大 -2.5 angry
恼火 -2 angry
窝火 -2.2 angry
憋屈 -2 angry
不爽 -1.8 angry
无语 -1.8 angry
无力吐槽 -2.2 angry
吐槽 -1.2 angry
受不了 -2 angry
忍无可忍 -3 angry
太过分 -2.5 angry
过分 -2 angry
离谱 -2 angry
凭什么 -2 angry
什么态度 -2.5 angry
态度恶劣 -3 angry
态度极差 -3 angry
态度差 -2.5 angry
态度不好 -2.2 angry
态度很差 -2.5 angry
态度冷淡 -2 angry
态度生硬 -2 angry
爱理不理 -2.2 angry
爱答不理 -2.2 angry
不理人 -2 angry
不理不睬 -2.2 angry
没人理 -2 angry
没人管 -2 angry
没人回复 -2 angry
不回复 -1.5 angry
不回消息 -1.8 angry
不接电话 -2 angry
电话不接 -2 angry
不接 -1.2 angry
打不通 -2 angry
推卸 -2 angry
推卸责任 -2.5 angry
推脱 -2 angry
推诿 -2.2 angry
互相推诿 -2.5 angry
踢皮球 -2.5 angry
扯皮 -2 angry
敷衍 -2.2 angry
敷衍了事 -2.5 angry
不作为 -2.2 angry
不负责 -2.2 angry
不负责任 -2.5 angry
耍我 -2.5 angry
耍人 -2.5 angry
刁难 -2.2 angry
欺负 -2.2 angry
欺负人 -2.5 angry
霸王条款 -2.5 angry
霸道 -2 angry
强买强卖 -2.5 angry
乱收费 -2.5 angry
乱扣费 -2.5 angry
乱扣 -2.2 angry
多收 -1.8 angry
多扣 -1.8 angry
扣钱 -1.5 angry
被扣 -1.5 angry
套路 -1.8 angry
割韭菜 -2.5 angry
智商税 -2.5 angry
滚 -2.5 angry
滚蛋 -3 angry
闭嘴 -2.5 angry
有病 -2 angry
脑残 -3 angry
去死 -3 angry
妈的 -3 angry
他妈 -3 angry
尼玛 -2.5 angry
tmd -3 angry
nmd -3 angry
靠 -1.5 angry
我靠 -2 angry
卧槽 -1.5 angry
sb -3 angry
傻逼 -3 angry
傻x -3 angry
煞笔 -3 angry
白痴 -2.8 angry
弱智 -2.8 angry
蠢 -2 angry
混蛋 -3 angry
王八蛋 -3 angry
呵呵 -1.5 angry
呵呵哒 -1.5 angry
醉了 -1.8 angry
服了 -1.5 angry
也是醉了 -2 angry
真是服了 -2 angry
绝望 -2.5 disappointed
// repetition
第三次 -0.3
第二次 0.3
又是 -0.6 angry #repeat
又一次 -1 angry #repeat
又来 -1 angry #repeat
还是没 -1.2 angry #repeat
还是不 -1 angry #repeat
说了多少遍 -2.5 angry #repeat
多少次了 -2 angry #repeat
说了几次 -2 angry #repeat
好几次 -0.3 #repeat
屡次 -1.5 angry #repeat
一再 -1.2 angry #repeat
反复 -1 angry #repeat
每次都这样 -1.5 angry #repeat
一次又一次 -1.8 angry #repeat
三番五次 -2.2 angry #repeat
一而再 -2 angry #repeat
一拖再拖 -2.2 angry #repeat
// cancellation, churn
注销 -1.2 angry #cancel
销户 -1.5 angry #cancel
退订 -1.2 #cancel
取消订单 -1.5 angry #cancel
被取消 -1.8 angry #cancel
退货 -1.5 disappointed #cancel
退款 -0.8 disappointed
申请退款 -1.2 disappointed
换货 -1.2 disappointed
再也不 -2 angry #cancel
再也不买 -2.5 angry #cancel
再也不点 -2.5 angry #cancel
再也不来 -2.5 angry #cancel
再也不会 -2.5 angry #cancel
再也不住 -2.5 angry #cancel
不会再 -1.8 disappointed #cancel
不会再来 -2.2 disappointed #cancel
不会再点 -2.2 disappointed #cancel
不会再买 -2.2 disappointed #cancel
不会再住 -2.2 disappointed #cancel
不会再去 -2.2 disappointed #cancel
最后一次 -2 angry #cancel
拉黑 -2 angry #cancel
卸载 -1.5 angry #cancel
换一家 -1.5 disappointed #cancel
别买 -2.2 disappointed
别点 -2.2 disappointed
别去 -2 disappointed
别住 -2.2 disappointed
千万别 -2.5 disappointed
千万不要 -2.5 disappointed
慎买 -2 disappointed
慎点 -2 disappointed
慎选 -2 disappointed
慎入 -2 disappointed
慎重 -1 disappointed
避雷 -2 disappointed
踩雷 -2 disappointed
踩坑 -2 disappointed
翻车 -2 disappointed
劝大家 -1.5 disappointed
大家小心 -1.8 fearful
// ── urgency, waiting, delivery delays ──
着急 -1.8 anxious #urgency
焦急 -2 anxious #urgency
急死 -2.5 anxious #urgency
急死了 -2.5 anxious #urgency
急用 -1.5 anxious #urgency
很急 -2 anxious #urgency
急 -1 anxious #urgency
赶紧 -1.2 anxious #urgency
快点 -1.2 anxious #urgency
快一点 -1 anxious #urgency
尽快 -1 anxious #urgency
马上 -0.3 anxious #urgency
立刻 -0.8 anxious #urgency
立即 -0.6 anxious #urgency
催 -1.2 anxious #urgency
催单 -1.5 anxious #urgency
催了 -1.8 anxious #urgency
催了好几次 -2.5 angry #repeat
怎么还没 -1.8 anxious #waiting
怎么还不 -1.8 anxious #waiting
还没到 -1.5 anxious #waiting
还没收到 -1.5 anxious #waiting
还没发货 -1.5 anxious #waiting
还没送到 -1.8 anxious #waiting
还没送 -1.5 anxious #waiting
还没来 -1.5 anxious #waiting
还没有到 -1.5 anxious #waiting
还不到 -1.2 anxious #waiting
还没处理 -1.8 anxious #waiting
还没解决 -2 anxious #waiting
没收到 -1.8 disappointed #waiting
没有收到 -1.8 disappointed #waiting
没送到 -1.8 disappointed #waiting
没有送到 -1.8 disappointed #waiting
没到账 -1.8 anxious #waiting
未到账 -1.8 anxious #waiting
迟迟 -1.5 anxious #waiting
迟迟不 -2 anxious #waiting
一直没 -1.5 anxious #waiting
一直不 -1.2 anxious #waiting
一直在等 -1.8 anxious #waiting
等了 -1 anxious #waiting
等待 -0.5 anxious #waiting
等半天 -1.8 anxious #waiting
等了半天 -2 anxious #waiting
等了好久 -2 anxious #waiting
等了很久 -2 anxious #waiting
等太久 -2 anxious #waiting
等了一个 -1.2 anxious #waiting
等到 -0.8 anxious #waiting
等死 -2.5 anxious #waiting
等得 -1 anxious #waiting
让人等 -1.5 anxious #waiting
半天 -1 anxious #waiting
好久 -0.8 anxious #waiting
太久 -1.8 anxious #waiting
很久 -1 anxious #waiting
这么久 -1.8 anxious #waiting
那么久 -1.5 anxious #waiting
个小时 -1 anxious #waiting
多小时 -1.2 anxious #waiting
两小时 -1.2 anxious #waiting
一小时 -0.8 anxious #waiting
快一 -0.8 anxious #waiting
快两 -1 anxious #waiting
快俩 -1 anxious #waiting
快三 -1 anxious #waiting
快半 -0.6 anxious #waiting
才到 -1.2 anxious #waiting
才送到 -1.5 anxious #waiting
才送来 -1.5 anxious #waiting
才来 -1 anxious #waiting
才收到 -1 anxious #waiting
才发货 -1.2 anxious #waiting
超时 -2 anxious #waiting
延误 -1.8 anxious #waiting
延迟 -1.8 anxious #waiting
拖延 -1.8 anxious #waiting
拖着 -1.5 anxious #waiting
拖了 -1.5 anxious #waiting
耽误 -1.8 anxious #waiting
晚点 -1.5 anxious #waiting
晚了 -1.2 anxious #waiting
送晚了 -2 anxious #waiting
迟到 -1.5 anxious #waiting
太慢 -2 anxious #waiting
很慢 -1.8 anxious #waiting
好慢 -1.8 anxious #waiting
巨慢 -2.2 anxious #waiting
超慢 -2.2 anxious #waiting
慢死 -2.5 anxious #waiting
慢得 -1.5 anxious #waiting
慢吞吞 -1.8 anxious #waiting
送餐慢 -2 anxious #waiting
送得慢 -2 anxious #waiting
送的慢 -2 anxious #waiting
配送慢 -2 anxious #waiting
送货慢 -2 anxious #waiting
发货慢 -2 anxious #waiting
物流慢 -2 anxious #waiting
速度慢 -1.8 anxious #waiting
反应慢 -1.8 disappointed
运行慢 -1.8 disappointed
网速慢 -1.5 disappointed
慢 -1 anxious
遥遥无期 -2.2 anxious #waiting
石沉大海 -2.2 angry #waiting
没下文 -1.8 angry #waiting
没有下文 -1.8 angry #waiting
杳无音信 -2.2 anxious #waiting
没消息 -1.2 anxious #waiting
没有消息 -1.2 anxious #waiting
// ── anxiety, worry ──
担心 -1.5 anxious
焦虑 -2 anxious
紧张 -1.5 anxious
不安 -1.5 anxious
慌 -1.2 anxious
心慌 -1.8 anxious
发愁 -1.5 anxious
犯愁 -1.5 anxious
不放心 -1.5 anxious
到底 -0.6 anxious
究竟 0
怎么办 -1.2 anxious
咋办 -1.2 anxious
怎么回事 -1.5 anxious
什么情况 -1.2 anxious
搞什么 -2 angry
干什么吃的 -2.8 angry
// ── fear, security ──
害怕 -2 fearful
怕 -1 fearful
可怕 -2 fearful
恐怖 -2 fearful
恐慌 -2 fearful
吓人 -2 fearful
吓死 -2.5 fearful
吓到 -1.8 fearful
吓了一跳 -1 surprised
后怕 -2 fearful
担惊受怕 -2.5 fearful
提心吊胆 -2.5 fearful
危险 -1.8 fearful
隐患 -1.8 fearful
安全隐患 -2.2 fearful
被盗 -2.5 fearful
盗刷 -2.8 fearful
被盗刷 -3 fearful
被骗 -2.5 fearful
上当受骗 -2.8 angry
泄露 -2.2 fearful
泄漏 -1.8 fearful
信息泄露 -2.5 fearful
隐私 -0.5 fearful
安全吗 -1.2 fearful
不安全 -2 fearful
冻结 -1.5 anxious
账户冻结 -2 anxious
被冻结 -2 anxious
锁卡 -1.2 anxious
异常 -1 anxious
// ── surprise ──
竟然 -0.5 surprised
居然 -0.5 surprised
没想到 0.2 surprised
想不到 0.2 surprised
出乎意料 0.5 surprised
出乎意料的好 2 happy
天哪 0 surprised
天啊 0 surprised
我的天 0 surprised
哇 0.5 surprised
哇塞 1 surprised
惊讶 0.3 surprised
吃惊 0 surprised
震惊 -0.8 surprised
意外 -0.2 surprised
// ── disappointment, dissatisfaction, general negative evaluation ──
失望 -2 disappointed
太失望 -2.5 disappointed
很失望 -2.5 disappointed
令人失望 -2.5 disappointed
大失所望 -2.8 disappointed
不满意 -2 disappointed
不太满意 -1.5 disappointed
不满 -1.8 disappointed
难过 -1.8 disappointed
伤心 -1.8 disappointed
心寒 -2.2 disappointed
心塞 -1.8 disappointed
心累 -2 disappointed
蓝瘦 -1.8 disappointed
难受 -1.8 disappointed
郁闷 -1.8 disappointed
闹心 -1.8 disappointed
糟心 -2 disappointed
烦 -1.5 angry
烦人 -1.8 angry
烦死 -2.5 angry
讨厌 -2 angry
厌恶 -2.2 disgusted
反感 -2 disgusted
鄙视 -2.2 disgusted
嫌弃 -1.5 disgusted
委屈 -1.5 disappointed
冤枉 -1.5 angry
遗憾 -1.2 disappointed
可惜 -1.2 disappointed
后悔 -2 disappointed
很后悔 -2.5 disappointed
悔 -1.2 disappointed
白买 -2 disappointed
白花 -2 disappointed
白跑 -1.8 disappointed
不值 -1.8 disappointed
不值得 -1.8 disappointed
不值这个价 -2.2 disappointed
不值钱 -1.8 disappointed
上当 -2.2 disappointed
吃亏 -1.8 disappointed
亏 -1 disappointed
浪费 -1.5 disappointed
浪费钱 -2.2 disappointed
浪费时间 -2.2 disappointed
白白浪费 -2.5 disappointed
差劲 -2.2 disappointed
太差 -2.2 disappointed
很差 -2 disappointed
真差 -2 disappointed
好差 -2 disappointed
极差 -2.8 disappointed
奇差 -2.8 disappointed
超差 -2.5 disappointed
巨差 -2.5 disappointed
最差 -2.8 disappointed
较差 -1.5 disappointed
比较差 -1.5 disappointed
差 -1.2 disappointed
烂 -1.5 disappointed
很烂 -2.2 disappointed
太烂 -2.5 disappointed
稀烂 -2.5 disappointed
烂透 -2.8 disappointed
破烂 -2 disappointed
渣 -1.5 disappointed
渣渣 -2 disappointed
拉胯 -2.2 disappointed
拉垮 -2.2 disappointed
糟糕 -2 disappointed
糟透 -2.5 disappointed
很糟 -2 disappointed
乱七八糟 -2.2 disappointed
一塌糊涂 -2.5 disappointed
混乱 -1.8 disappointed
乱 -0.8 disappointed
恶劣 -2.5 angry
低劣 -2.5 disappointed
劣质 -2.5 disappointed
粗糙 -1.8 disappointed
粗制滥造 -2.8 disappointed
偷工减料 -2.5 angry
以次充好 -2.5 angry
缩水 -1.5 disappointed
简陋 -1.5 disappointed
寒酸 -1.5 disappointed
失败 -1.8 disappointed
败笔 -1.8 disappointed
一般 -0.8 disappointed
很一般 -1.5 disappointed
太一般 -1.8 disappointed
比较一般 -1.2 disappointed
一般般 -1 disappointed
马马虎虎 -0.8 disappointed
凑合 -0.8 disappointed
将就 -0.8 disappointed
勉强 -0.8 disappointed
鸡肋 -1.5 disappointed
不怎么样 -1.5 disappointed
不咋地 -1.5 disappointed
不咋样 -1.5 disappointed
不好 -1.5 disappointed
不太好 -1.2 disappointed
不行 -1.8 disappointed
不如 -1 disappointed
不如以前 -2 disappointed
大不如前 -2.2 disappointed
不够好 -1.2 disappointed
不理想 -1.5 disappointed
不尽如人意 -1.8 disappointed
不尽人意 -1.8 disappointed
差强人意 -1 disappointed
美中不足 -0.8 disappointed
不足 -1 disappointed
不足之处 -1 disappointed
缺点 -1 disappointed
缺陷 -1.5 disappointed
毛病 -1.2 disappointed
瑕疵 -1.2 disappointed
有瑕疵 -1.5 disappointed
没意思 -1.5 disappointed
没什么意思 -1.8 disappointed
没劲 -1.5 disappointed
无聊 -1.8 disappointed
乏味 -1.8 disappointed
枯燥 -1.5 disappointed
平淡 -1 disappointed
平庸 -1.5 disappointed
一无是处 -2.8 disappointed
毫无 -0.5 disappointed
名不副实 -2.2 disappointed
名不符实 -2.2 disappointed
徒有虚名 -2.2 disappointed
言过其实 -1.8 disappointed
夸大 -1.5 disappointed
虚假 -2.2 angry
虚假宣传 -2.8 angry
假的 -2 angry
假货 -2.8 angry
假冒 -2.5 angry
冒牌 -2.5 angry
山寨 -2 disappointed
水货 -2.2 angry
翻新 -1.8 angry
翻新机 -2.5 angry
二手 -1 disappointed
盗版 -2.5 angry
不符 -1.5 disappointed
不一致 -1 disappointed
货不对板 -2.2 disappointed
与描述不符 -2.2 disappointed
图文不符 -2.2 disappointed
不靠谱 -2 angry
不专业 -2 disappointed
不合理 -1.5 angry
不公平 -2 angry
不公 -1.8 angry
不方便 -1.2 disappointed
不划算 -1.5 disappointed
不实惠 -1.2 disappointed
不新鲜 -2 disappointed
不干净 -2 disgusted
不卫生 -2.2 disgusted
不舒服 -1.8 disappointed
不稳定 -1.5 disappointed
不兼容 -1.5 disappointed
不清楚 -0.8 disappointed
不清晰 -1.2 disappointed
不流畅 -1.5 disappointed
不灵敏 -1.5 disappointed
不耐用 -1.8 disappointed
不结实 -1.5 disappointed
不推荐 -2 disappointed
不建议 -1.8 disappointed
不值一提 -1.8 disappointed
没用 -1.5 disappointed
没有用 -1.5 disappointed
没效果 -1.8 disappointed
没有效果 -1.8 disappointed
无效 -1.5 disappointed
没法 -1.2 disappointed
没办法 -1 disappointed
无法 -0.8 disappointed
无法使用 -2 disappointed
麻烦 -0.8 disappointed
很麻烦 -1.5 disappointed
太麻烦 -1.8 disappointed
繁琐 -1.2 disappointed
复杂 -0.6 disappointed
费劲 -1.5 disappointed
费事 -1.2 disappointed
折腾 -1.5 disappointed
头疼 -1.5 disappointed
头痛 -1.2 disappointed
贵 -0.8 disappointed
太贵 -1.5 disappointed
好贵 -1.5 disappointed
很贵 -1.2 disappointed
偏贵 -1 disappointed
昂贵 -1.2 disappointed
价格偏高 -1.2 disappointed
价格贵 -1.2 disappointed
偏高 -0.6 disappointed
性价比 0.6
性价比高 2.2 happy
性价比很高 2.5 happy
性价比差 -2 disappointed
性价比一般 -1.2 disappointed
// ── breakage, faults, errors ──
坏 -1.2 disappointed
坏了 -1.5 disappointed
好坏 0
坏掉 -1.8 disappointed
弄坏 -1.8 disappointed
破损 -1.5 disappointed
破了 -1.5 disappointed
碎了 -1.8 disappointed
损坏 -1.5 disappointed
破旧 -1.8 disappointed
陈旧 -1.5 disappointed
老旧 -1.5 disappointed
老化 -1.5 disappointed
过时 -1.2 disappointed
旧 -0.8 disappointed
质量差 -2.2 disappointed
质量太差 -2.5 disappointed
质量不好 -2 disappointed
质量一般 -1.2 disappointed
质量问题 -1.5 disappointed
品质差 -2.2 disappointed
做工差 -2.2 disappointed
做工粗糙 -2.2 disappointed
做工一般 -1.2 disappointed
不好用 -1.8 disappointed
不能用 -1.8 disappointed
用不了 -1.5 disappointed
没法用 -1.8 disappointed
难用 -2 disappointed
故障 -1.2 disappointed
出故障 -1.8 disappointed
有问题 -1 disappointed
出问题 -1.5 disappointed
问题 -0.3
问题多 -1.8 disappointed
出错 -1.5 disappointed
报错 -1.5 disappointed
错误 -1.2 disappointed
失灵 -1.8 disappointed
死机 -2.5 disappointed
蓝屏 -2.5 disappointed
黑屏 -2 disappointed
花屏 -2 disappointed
闪退 -2 disappointed
卡顿 -2 disappointed
卡死 -2.5 disappointed
很卡 -1.8 disappointed
太卡 -2 disappointed
好卡 -1.8 disappointed
卡机 -1.8 disappointed
重启 -1 disappointed
自动关机 -2 disappointed
打不开 -1.8 disappointed
登不上 -1.8 disappointed
登录不了 -1.8 disappointed
连不上 -1.8 disappointed
上不了网 -1.5 disappointed
断网 -1.5 disappointed
信号差 -1.5 disappointed
充不进电 -2 disappointed
充不上电 -2 disappointed
发热 -1.2 disappointed
发烫 -1.8 disappointed
很烫 -1.5 disappointed
烫手 -1.8 disappointed
散热差 -2 disappointed
散热不好 -2 disappointed
噪音 -1.2 disappointed
噪音大 -1.8 disappointed
噪声 -1.2 disappointed
异响 -1.8 disappointed
杂音 -1.5 disappointed
风扇响 -1.5 disappointed
坏点 -2 disappointed
漏光 -1.8 disappointed
划痕 -1.5 disappointed
划伤 -1.5 disappointed
掉漆 -1.5 disappointed
磨损 -1.2 disappointed
松动 -1.5 disappointed
变形 -1.5 disappointed
开裂 -1.8 disappointed
生锈 -1.8 disappointed
续航差 -2 disappointed
续航短 -1.8 disappointed
耗电 -1.2 disappointed
费电 -1.2 disappointed
掉电快 -2 disappointed
笨重 -1.5 disappointed
太重 -1.2 disappointed
返修 -2 disappointed
维修 -1 disappointed
售后差 -2.2 disappointed
售后太差 -2.5 disappointed


// ── food and delivery: complaints ──
难吃 -2.2 disappointed
太难吃 -2.8 disappointed
很难吃 -2.5 disappointed
超难吃 -2.8 disappointed
真难吃 -2.5 disappointed
难以下咽 -2.8 disappointed
不好吃 -2 disappointed
没味道 -1.5 disappointed
没有味道 -1.5 disappointed
没什么味道 -1.5 disappointed
无味 -1.2 disappointed
寡淡 -1.2 disappointed
味道一般 -1.2 disappointed
味道差 -2 disappointed
味道不好 -1.8 disappointed
味道怪 -1.8 disappointed
怪味 -1.8 disgusted
怪怪的 -1.5 disappointed
异味 -2 disgusted
有股味 -1.5 disgusted
难闻 -1.8 disgusted
腥 -1.5 disgusted
腥味 -1.8 disgusted
太咸 -1.8 disappointed
好咸 -1.5 disappointed
齁 -1.8 disappointed
咸 -1 disappointed
太淡 -1.2 disappointed
淡 -0.6 disappointed
太辣 -1 disappointed
太甜 -1.2 disappointed
太油 -1.5 disappointed
油腻 -1.2 disappointed
油太多 -1.8 disappointed
全是油 -2 disappointed
馊 -2.2 disgusted
馊了 -2.5 disgusted
酸了 -1.5 disgusted
变质 -2.2 disgusted
变味 -2 disgusted
发霉 -2.5 disgusted
霉味 -2 disgusted
不熟 -2 disappointed
没熟 -2 disappointed
夹生 -2 disappointed
糊了 -1.5 disappointed
烤糊 -1.5 disappointed
焦了 -1.2 disappointed
太硬 -1.5 disappointed
硬邦邦 -1.8 disappointed
硬 -0.5 disappointed
咬不动 -1.8 disappointed
嚼不动 -1.8 disappointed
柴 -0.8 disappointed
很柴 -1.5 disappointed
干巴巴 -1.5 disappointed
坨了 -1.5 disappointed
烂糊 -1.2 disappointed
软塌塌 -1.2 disappointed
凉了 -1.5 disappointed
都凉了 -2 disappointed
冷了 -1.5 disappointed
凉的 -1.2 disappointed
冰凉 -1.2 disappointed
冷冰冰 -1.5 disappointed
不热 -1.2 disappointed
恶心 -2.5 disgusted
想吐 -2.5 disgusted
吐了 -2 disgusted
反胃 -2.2 disgusted
头发 -2.5 disgusted
虫子 -2.8 disgusted
虫 -1.5 disgusted
苍蝇 -2.8 disgusted
蟑螂 -3 disgusted
老鼠 -2.5 disgusted
蚊子 -1.5 disappointed
异物 -2.5 disgusted
吃出 -1.5 disgusted
拉肚子 -2.5 disgusted
闹肚子 -2.5 disgusted
肚子疼 -2 disgusted
食物中毒 -3 fearful
地沟油 -3 disgusted
脏 -1.8 disgusted
很脏 -2.2 disgusted
太脏 -2.5 disgusted
脏兮兮 -2.2 disgusted
脏乱 -2.2 disgusted
脏乱差 -3 disgusted
污渍 -1.8 disgusted
臭 -1.8 disgusted
发臭 -2.2 disgusted
臭味 -2 disgusted
量少 -1.5 disappointed
量太少 -2 disappointed
量很少 -1.8 disappointed
分量少 -1.8 disappointed
分量太少 -2.2 disappointed
份量少 -1.8 disappointed
分量不足 -1.8 disappointed
分量不够 -1.8 disappointed
分量很少 -2 disappointed
太少 -1.5 disappointed
好少 -1.5 disappointed
很少 -0.8 disappointed
少得可怜 -2.5 disappointed
就几块 -1.5 disappointed
就一点 -1.2 disappointed
只有一点 -1.2 disappointed
吃不饱 -1.5 disappointed
不够吃 -1.5 disappointed
偏少 -1 disappointed
少了 -1.2 disappointed
少送 -1.8 disappointed
少给 -1.5 disappointed
少了一 -1.5 disappointed
漏送 -1.8 disappointed
送错 -1.8 disappointed
错送 -1.8 disappointed
送错了 -2 disappointed
拿错 -1.5 disappointed
做错 -1.5 disappointed
没送 -1.5 disappointed
忘了 -1 disappointed
忘放 -1.5 disappointed
忘记 -1 disappointed
没给 -1.2 disappointed
没放 -1 disappointed
没有放 -1 disappointed
不给 -1.2 disappointed
洒了 -1.5 disappointed
撒了 -1.5 disappointed
洒出来 -1.5 disappointed
漏了 -1.5 disappointed
漏水 -2 disappointed
漏 -0.8 disappointed
包装差 -1.5 disappointed
包装破 -1.5 disappointed
包装简陋 -1.5 disappointed
缺货 -1 disappointed
没货 -1 disappointed
不送 -1 disappointed
拒收 -1.2 disappointed
// ── hotel and travel: complaints ──
隔音 0
隔音差 -2 disappointed
隔音不好 -2 disappointed
隔音太差 -2.5 disappointed
隔音效果差 -2 disappointed
隔音效果不好 -2 disappointed
吵 -1 disappointed
很吵 -1.8 disappointed
太吵 -2 disappointed
吵闹 -1.8 disappointed
嘈杂 -1.8 disappointed
吵死 -2.5 angry
吵架 -1.5 angry
争吵 -1.5 angry
潮湿 -1.5 disappointed
阴暗 -1.2 disappointed
昏暗 -1 disappointed
烟味 -1.5 disgusted
有味道 -1 disgusted
设施陈旧 -2 disappointed
设施老化 -2 disappointed
设施差 -2 disappointed
设备陈旧 -2 disappointed
设施简陋 -2 disappointed
房间小 -1.5 disappointed
房间很小 -1.8 disappointed
房间太小 -2 disappointed
太小 -1.2 disappointed
很小 -0.8 disappointed
偏小 -0.8 disappointed
小了 -0.6 disappointed
狭小 -1.5 disappointed
拥挤 -1.5 disappointed
挤 -0.8 disappointed
窄 -0.8 disappointed
没有热水 -2 disappointed
没热水 -2 disappointed
水不热 -1.5 disappointed
停水 -1.5 disappointed
停电 -1.5 disappointed
热水不 -1.2 disappointed
不好找 -1.2 disappointed
难找 -1.2 disappointed
偏僻 -1.2 disappointed
偏远 -1 disappointed
冷淡 -1.5 angry
冷漠 -2 angry
傲慢 -2.2 angry
不耐烦 -2 angry
没礼貌 -2 angry
不礼貌 -2 angry
不友好 -1.8 angry
不热情 -1.5 disappointed
服务差 -2.2 angry
服务太差 -2.5 angry
服务很差 -2.5 angry
服务不好 -2 angry
服务一般 -1.2 disappointed
服务态度差 -2.5 angry
服务态度不好 -2.2 angry
早餐差 -1.8 disappointed
早餐一般 -1 disappointed
早餐太差 -2 disappointed
不配 -1.5 disappointed
不够格 -1.5 disappointed
名不副其实 -2.2 disappointed
宰人 -2.5 angry
多收费 -2 angry
押金不退 -2.2 angry
不退押金 -2.2 angry
不退 -1.5 angry
不给退 -2 angry
不退款 -2 angry
拒绝退款 -2.5 angry
还没退 -1.8 anxious
// ── books and media: complaints ──
错别字 -1.5 disappointed
错字 -1.2 disappointed
缺页 -2 disappointed
掉页 -1.8 disappointed
印刷差 -2 disappointed
印刷质量差 -2 disappointed
印刷模糊 -2 disappointed
模糊 -1.2 disappointed
纸张差 -1.5 disappointed
纸质差 -1.5 disappointed
纸张很薄 -1.2 disappointed
纸太薄 -1.2 disappointed
内容空洞 -2.2 disappointed
空洞 -1.8 disappointed
空泛 -1.5 disappointed
肤浅 -1.8 disappointed
浅薄 -1.8 disappointed
浅显 -0.6 disappointed
老生常谈 -1.5 disappointed
陈词滥调 -2 disappointed
东拼西凑 -2.2 disappointed
拼凑 -1.5 disappointed
凑字数 -2 disappointed
凑数 -1.5 disappointed
废话 -1.8 disappointed
废话连篇 -2.5 disappointed
啰嗦 -1.5 disappointed
罗嗦 -1.5 disappointed
唠叨 -1.2 disappointed
冗长 -1.5 disappointed
拖沓 -1.5 disappointed
看不下去 -2.2 disappointed
读不下去 -2.2 disappointed
看不懂 -1.2 disappointed
读不懂 -1.2 disappointed
晦涩 -1.2 disappointed
难懂 -1.2 disappointed
误人子弟 -2.5 angry
胡说八道 -2.5 angry
胡扯 -2.2 angry
瞎扯 -2 angry
一派胡言 -2.5 angry
不知所云 -2 disappointed
毫无新意 -2 disappointed
没有新意 -1.8 disappointed
没新意 -1.8 disappointed
炒作 -1.5 disappointed
幼稚 -1.5 disappointed
低俗 -2 disgusted
恶俗 -2.2 disgusted
庸俗 -1.8 disgusted
矫情 -1.5 disappointed
做作 -1.5 disappointed
无病呻吟 -2 disappointed
牵强 -1.5 disappointed
漏洞百出 -2.2 disappointed
翻译差 -2 disappointed
翻译太差 -2.5 disappointed
翻译很烂 -2.5 disappointed
看完就扔 -2 disappointed
一星 -2 disappointed
零分 -2.5 disappointed
负分 -2.5 angry
不及格 -2 disappointed
还是生的 -2 disappointed
半生不熟 -2 disappointed
// ── thanks, praise, general positive evaluation ──
谢谢 1.2 happy
谢谢你 1.5 happy
谢谢你们 1.5 happy
感谢 1.5 happy
非常感谢 2.2 happy
多谢 1.5 happy
感激 2 happy
辛苦了 1.5 happy
辛苦 0.8 happy
满意 2 happy
很满意 2.5 happy
非常满意 2.8 happy
挺满意 2.2 happy
十分满意 2.8 happy
比较满意 1.8 happy
好评 2.5 happy
五星好评 2.8 happy
好评如潮 2.5 happy
五星 2.5 happy
五分 1.5 happy
满分 2.2 happy
一百分 2.2 happy
点赞 2 happy
赞 1.8 happy
赞赞 2.2 happy
超赞 2.5 happy
很赞 2.2 happy
好赞 2.2 happy
大赞 2.5 happy
赞一个 2.2 happy
赞叹 1.5 happy
称赞 1.5 happy
夸 1 happy
太好了 2.5 happy
好极了 2.5 happy
非常好 2.5 happy
特别好 2.5 happy
很好 2 happy
真好 2 happy
挺好 1.8 happy
蛮好 1.8 happy
好好 0.6
不错 1.8 happy
很不错 2.2 happy
挺不错 2.2 happy
还不错 1.5 happy
相当不错 2.4 happy
真不错 2.2 happy
不错哦 2 happy
好 0.8
还好 0.4
很棒 2.5 happy
真棒 2.5 happy
太棒 2.8 happy
棒 2 happy
棒棒 2.2 happy
棒棒哒 2.5 happy
么么哒 1.5 happy
给力 2 happy
很给力 2.5 happy
靠谱 2 happy
很靠谱 2.5 happy
可靠 1.8 happy
牛逼 2.5 happy
牛b 2.5 happy
很牛 2 happy
真牛 2 happy
太牛 2.2 happy
厉害 1.8 happy
666 2 happy
绝了 1.8 happy
绝绝子 2.5 happy
yyds 2.5 happy
真香 2 happy
无敌 1.8 happy
一流 2.2 happy
顶级 2 happy
顶呱呱 2.5 happy
完美 2.5 happy
优秀 2.2 happy
优质 1.8 happy
优良 1.5 happy
出色 2.2 happy
杰出 2.2 happy
卓越 2.2 happy
精彩 2.2 happy
精美 2 happy
精良 1.8 happy
精湛 2 happy
精致 1.8 happy
精细 1.5 happy
精心 1.5 happy
细致 1.5 happy
细心 1.5 happy
用心 1.8 happy
很用心 2.2 happy
认真 1.5 happy
负责 1.5 happy
尽职 1.5 happy
尽责 1.5 happy
敬业 1.8 happy
礼貌 1.5 happy
有礼貌 1.8 happy
客气 1.2 happy
友好 1.5 happy
友善 1.5 happy
和善 1.5 happy
亲切 1.8 happy
和蔼 1.5 happy
热情 1.8 happy
热心 1.8 happy
周到 1.8 happy
耐心 1.5 happy
专业 1.5 happy
贴心 2 happy
暖心 2 happy
温馨 1.8 happy
温暖 1.5 happy
舒心 1.8 happy
开心 2 happy
高兴 2 happy
快乐 2 happy
愉快 2 happy
愉悦 2 happy
幸福 2 happy
欣喜 2 happy
惊喜 2 happy
意外惊喜 2.5 happy
享受 1.5 happy
满足 1.5 happy
惬意 1.8 happy
痛快 1.5 happy
爽 1.2 happy
很爽 1.8 happy
爽约 -1.8 angry
哈哈 1.2 happy
哈哈哈 1.5 happy
嘻嘻 1.2 happy
嘿嘿 1 happy
喜欢 1.8 happy
很喜欢 2.2 happy
超喜欢 2.5 happy
非常喜欢 2.5 happy
喜爱 2 happy
钟爱 2 happy
热爱 2 happy
最爱 2.2 happy
爱 1 happy
爱了 2.5 happy
爱死 2.5 happy
可爱 1.5 happy
爱心 0.8 happy
恋爱 0
感动 1.8 happy
感人 1.8 happy
动人 1.8 happy
美好 1.8 happy
美丽 1.8 happy
优美 1.8 happy
美观 1.8 happy
大方 1.5 happy
时尚 1.5 happy
新颖 1.5 happy
独特 1.2 happy
经典 1.8 happy
漂亮 1.8 happy
好看 1.8 happy
很漂亮 2.2 happy
推荐 1.5 happy
强烈推荐 2.8 happy
值得推荐 2.2 happy
力荐 2.5 happy
安利 1.5 happy
种草 1.5 happy
回购 2 happy
无限回购 2.5 happy
必买 2 happy
必点 2 happy
闭眼入 2.2 happy
吹爆 2.2 happy
宝藏 2 happy
神器 2 happy
值得 1.5 happy
值 0.8 happy
值了 1.8 happy
很值 2 happy
超值 2.2 happy
物超所值 2.5 happy
物有所值 2 happy
物美价廉 2.5 happy
价廉物美 2.5 happy
实惠 1.8 happy
很实惠 2.2 happy
经济实惠 2 happy
划算 1.8 happy
很划算 2.2 happy
便宜 1.2 happy
价格便宜 1.5 happy
价格合理 1.5 happy
价格公道 1.8 happy
公道 1.5 happy
合理 1.2 happy
良心 2 happy
良心商家 2.5 happy
厚道 1.8 happy
诚信 1.8 happy
实在 0.3
信赖 1.8 happy
值得信赖 2.2 happy
信得过 1.8 happy
放心 1.5 happy
安心 1.5 happy
省心 1.8 happy
省事 1.2 happy
方便 1.5 happy
很方便 2 happy
便捷 1.5 happy
便利 1.5 happy
快捷 1.5 happy
高效 1.5 happy
效率高 1.8 happy
实用 1.5 happy
好用 2 happy
很好用 2.5 happy
耐用 1.8 happy
结实 1.5 happy
牢固 1.5 happy
稳定 1.2 happy
流畅 1.5 happy
顺畅 1.5 happy
顺利 1.5 happy
清晰 1.5 happy
舒服 1.8 happy
很舒服 2.2 happy
舒适 1.8 happy
干净 1.5 happy
很干净 2 happy
整洁 1.8 happy
卫生 0.3
安静 1.2 happy
新鲜 1.5 happy
很新鲜 2 happy
正品 1.5 happy
正版 1.2 happy
完好 1 happy
完好无损 1.5 happy
完整 0.8 happy
及时 1.5 happy
准时 1.5 happy
守时 1.5 happy
提前 0.8 happy
提前送到 1.8 happy
快 1 happy
很快 1.8 happy
挺快 1.8 happy
超快 2 happy
好快 1.8 happy
真快 1.8 happy
飞快 1.8 happy
神速 2 happy
迅速 1.5 happy
速度快 1.8 happy
速度很快 2.2 happy
解决了 1.5 happy
搞定 1.2 happy
没问题 1 happy
没毛病 1.5 happy
没得说 2 happy
没话说 2 happy
没的说 2 happy
无可挑剔 2.5 happy
还行 0.8 happy
还可以 0.8 happy
可以 0.4
也可以 0.5
挺可以 1.5 happy
蛮可以 1.5 happy
合适 1.2 happy
适中 1 happy
正合适 1.5 happy
满足需求 1.5 happy
符合 0.8
一如既往 1.5 happy
一直很好 2 happy
回头客 2 happy
常客 1 happy
老顾客 0.5
还会再来 2 happy
还会再点 2 happy
还会再买 2 happy
还会光顾 2 happy
会再来 1.8 happy
下次还 1.5 happy
下次再来 1.8 happy
下次还来 1.8 happy
再次光顾 1.8 happy
再来 0.5 happy
光顾 0.5
惊艳 2 happy
震撼 1.5 happy
期待 1 happy
值得期待 1.5 happy
期望 0
希望 0
// ── food and delivery: praise ──
好吃 2.2 happy
很好吃 2.5 happy
超好吃 2.8 happy
太好吃 2.8 happy
真好吃 2.5 happy
挺好吃 2.2 happy
非常好吃 2.8 happy
蛮好吃 2.2 happy
好喝 2 happy
很好喝 2.4 happy
美味 2.2 happy
美味可口 2.5 happy
可口 1.8 happy
香 1.5 happy
很香 2 happy
好香 2 happy
香喷喷 2 happy
香辣 1 happy
香酥 1.5 happy
鲜美 1.8 happy
鲜嫩 1.8 happy
嫩 1.2 happy
滑嫩 1.8 happy
入味 1.5 happy
够味 1.5 happy
下饭 1.5 happy
开胃 1.2 happy
爽口 1.5 happy
清爽 1.2 happy
清淡 0.5
酥脆 1.5 happy
香脆 1.5 happy
爽脆 1.5 happy
外焦里嫩 2 happy
软糯 1.2 happy
q弹 1.2 happy
劲道 1.5 happy
筋道 1.5 happy
正宗 1.8 happy
地道 1.5 happy
口感好 1.8 happy
口感不错 1.8 happy
口感很好 2 happy
味道好 1.8 happy
味道很好 2.2 happy
味道不错 2 happy
味道棒 2.2 happy
味道正 1.5 happy
热乎 1.5 happy
热乎乎 1.8 happy
热腾腾 1.8 happy
滚烫 0.5
还是热的 1.5 happy
还热 1 happy
很热 0
分量足 2 happy
份量足 2 happy
分量很足 2.2 happy
分量多 1.8 happy
量足 1.8 happy
量大 1.5 happy
量很大 1.8 happy
量多 1.5 happy
足量 1 happy
料足 1.8 happy
料多 1.5 happy
肉多 1.2 happy
够吃 1.2 happy
吃饱 0.8 happy
包装好 1.5 happy
包装精美 1.8 happy
包装严实 1.5 happy
包装很好 1.8 happy
包装完好 1.5 happy
送餐快 2 happy
送得快 2 happy
送的快 2 happy
送餐很快 2.2 happy
配送快 2 happy
送货快 1.8 happy
发货快 1.8 happy
物流快 1.8 happy
到货快 1.8 happy
准时送达 2 happy
按时 1.2 happy
小哥 0.2
骑手 0
辛苦小哥 1.5 happy
小哥辛苦 1.5 happy
// ── hotel and travel: praise ──
宽敞 1.8 happy
宽敞明亮 2.2 happy
明亮 1.5 happy
宽大 1.2 happy
位置好 1.8 happy
位置不错 1.8 happy
位置优越 2 happy
地段好 1.8 happy
地理位置好 2 happy
交通便利 1.8 happy
交通方便 1.8 happy
出行方便 1.5 happy
早餐丰富 1.8 happy
早餐不错 1.8 happy
丰富 1.2 happy
服务好 1.8 happy
服务很好 2.2 happy
服务周到 2 happy
服务热情 2 happy
服务到位 2 happy
服务不错 2 happy
服务一流 2.5 happy
态度好 1.8 happy
态度很好 2.2 happy
态度不错 2 happy
环境好 1.8 happy
环境不错 1.8 happy
环境优美 2 happy
环境优雅 2 happy
优雅 1.5 happy
景色优美 2 happy
风景优美 2 happy
风景如画 2 happy
景色 0.3
风景 0.3
视野好 1.5 happy
视野开阔 1.5 happy
设施齐全 1.5 happy
设施完善 1.5 happy
齐全 1 happy
装修新 1.2 happy
新装修 1 happy
豪华 1.5 happy
高档 1.2 happy
档次高 1.2 happy
气派 1.2 happy
温馨舒适 2.2 happy
入住愉快 2 happy
宾至如归 2.5 happy
免费升级 1.5 happy
升级 0.5 happy
再次入住 1.5 happy
会再次入住 2 happy
还会入住 2 happy
还会再住 2 happy
// ── books and media: praise ──
好书 2.2 happy
一本好书 2.5 happy
值得一读 2.2 happy
值得一看 2 happy
值得看 1.8 happy
值得阅读 2 happy
值得收藏 2 happy
推荐阅读 1.8 happy
受益匪浅 2.5 happy
受益良多 2.5 happy
受益 1.5 happy
收获 1.2 happy
收获很大 2.2 happy
启发 1.5 happy
启迪 1.5 happy
深刻 1.5 happy
深入浅出 2 happy
引人入胜 2.2 happy
爱不释手 2.5 happy
一口气读完 2 happy
一口气看完 2 happy
通俗易懂 1.8 happy
浅显易懂 1.8 happy
易懂 1.2 happy
生动 1.5 happy
形象 0.8 happy
有趣 1.8 happy
有意思 1.8 happy
幽默 1.5 happy
风趣 1.5 happy
诙谐 1.5 happy
催人泪下 2 happy
感触 1 happy
共鸣 1.5 happy
精辟 1.8 happy
透彻 1.5 happy
有深度 1.8 happy
有意义 1.5 happy
有价值 1.5 happy
有帮助 1.5 happy
帮助很大 2 happy
很有帮助 2.2 happy
实用性强 1.8 happy
文笔好 2 happy
文笔优美 2 happy
文笔流畅 1.8 happy
文笔细腻 1.8 happy
细腻 1.5 happy
发人深省 2 happy
耐人寻味 1.5 happy
回味无穷 2 happy
回味 1 happy
百看不厌 2.5 happy
印刷精美 1.8 happy
印刷清晰 1.5 happy
纸张好 1.5 happy
纸质好 1.5 happy
纸张不错 1.5 happy
纸质不错 1.5 happy
装帧精美 1.8 happy
插图精美 1.5 happy
// ── electronics: praise ──
配置高 1.5 happy
配置不错 1.5 happy
配置好 1.5 happy
运行快 1.5 happy
运行流畅 1.8 happy
运行速度快 1.8 happy
反应快 1.5 happy
反应灵敏 1.5 happy
灵敏 1.5 happy
灵活 1.2 happy
画质好 1.5 happy
画面清晰 1.5 happy
屏幕清晰 1.5 happy
音质好 1.5 happy
音质不错 1.5 happy
手感好 1.8 happy
手感不错 1.8 happy
手感很好 2 happy
做工好 1.8 happy
做工精细 2 happy
做工精致 2 happy
做工不错 1.8 happy
做工扎实 1.8 happy
外观漂亮 1.8 happy
外观时尚 1.8 happy
外观不错 1.5 happy
外形 0
轻薄 1.5 happy
轻巧 1.5 happy
小巧 1.5 happy
便携 1.2 happy
续航 0.2
续航长 1.5 happy
续航强 1.5 happy
续航不错 1.5 happy
电池耐用 1.8 happy
散热好 1.5 happy
散热不错 1.5 happy
静音 1.2 happy
性能好 1.8 happy
性能强 1.8 happy
性能不错 1.8 happy
强大 1.8 happy
功能强大 2 happy
功能齐全 1.5 happy
兼容 0.5
超薄 1 happy
送货上门 1 happy
// ── more general evaluation ──
基本满意 1.2 happy
还算满意 1.5 happy
合算 1.5 happy
周全 1.5 happy
到位 1.5 happy
不负所望 2 happy
名副其实 1.8 happy
名不虚传 2.2 happy
货真价实 2 happy
超出预期 2.2 happy
超出期望 2 happy
超乎想象 1.8 happy
比想象中好 2 happy
比想象的好 2 happy
没让人失望 2 happy
没让我失望 2 happy
不会失望 1.5 happy
赞不绝口 2.5 happy
称心如意 2 happy
心满意足 2.2 happy
喜出望外 2.2 happy
难得 1.2 happy
难忘 1.2 happy
推荐给 1.5 happy
值得拥有 2 happy
值得购买 2 happy
值得一试 1.5 happy
值得去 1.5 happy
值得入住 2 happy
首选 1.8 happy
还会选择 2 happy
会选择 1 happy
越来越好 2 happy
越来越差 -2.5 disappointed
越来越少 -1.8 disappointed
越来越贵 -1.5 disappointed
一次比一次差 -2.5 disappointed
美滋滋 2 happy
爽歪歪 2 happy
杠杠的 2 happy
适合 1 happy
很适合 1.5 happy
不适合 -1.2 disappointed
智慧 1.2 happy
真实 0.8 happy
真诚 1.5 happy
朴实 1.2 happy
温情 1.5 happy
感悟 1.2 happy
思考 0.6 happy
值得思考 1.5 happy
学到 1.2 happy
学到了很多 2 happy
有特色 1.5 happy
特色 0.8 happy
赠送 0.8 happy
免费 0.5 happy
大气 1.5 happy
高端 1 happy
效果好 1.5 happy
效果不错 1.5 happy
效果很好 1.8 happy
效果差 -1.8 disappointed
效果不好 -1.8 disappointed
效果一般 -1.2 disappointed
水平很高 1.8 happy
水平高 1.5 happy
水平不高 -1.5 disappointed
没水平 -2 disappointed
没有水平 -2 disappointed
很近 1.2 happy
挺近 1.2 happy
比较近 1 happy
不远 1 happy
很远 -1 disappointed
太远 -1.5 disappointed
交通不便 -1.5 disappointed
交通不方便 -1.5 disappointed
品种少 -1.2 disappointed
种类少 -1.2 disappointed
品种单一 -1.2 disappointed
只能算 -1.2 disappointed
顶多 -1 disappointed
充其量 -1.5 disappointed
最多算 -1 disappointed
水压小 -1 disappointed
不制冷 -1.5 disappointed
停车难 -1.2 disappointed
加收 -1.5 angry
另收 -0.8 disappointed
不理睬 -2 angry
屏幕反光 -1 disappointed
声音小 0
太薄 -1 disappointed
没看完 -1.5 disappointed
看了几页 -1.2 disappointed
标题党 -2 angry
就那样 -1 disappointed
也就那样 -1.2 disappointed
不点了 -1.5 disappointed #cancel
不点 -1 disappointed
不会再订 -2.2 disappointed #cancel
第二次点 1.2 happy
经常点 1.5 happy
一直点 1.2 happy
常点 1.2 happy
每次都点 1.5 happy
点了好几次 1.5 happy
提前到 1.5 happy
提前送达 1.8 happy
提早 1.2 happy
准点 1.2 happy
就到了 1 happy
// ── more complaints ──
太次 -2 disappointed
次品 -2.5 disappointed
差点意思 -1.2 disappointed
不咋的 -1.5 disappointed
失误 -1.2 disappointed
疏忽 -1.2 disappointed
差错 -1.5 disappointed
一星都不想给 -2.8 angry
吃不消 -1.5 disappointed
受罪 -2 disappointed
遭罪 -2 disappointed
活受罪 -2.5 disappointed
折磨 -2.2 disappointed
痛苦 -2 disappointed
崩溃 -2.2 angry
抓狂 -2.2 angry
无奈 -1.5 disappointed
无助 -1.5 anxious
气愤 -2.5 angry
愤慨 -2.5 angry
抱怨 -1.5 angry
埋怨 -1.5 angry
糊弄 -2 angry
应付 -0.3
马虎 -1.2 disappointed
粗心 -1.2 disappointed
可恶 -2.2 angry
可恨 -2.2 angry
可气 -2 angry
可耻 -2.5 angry
可笑 -1.8 angry
荒唐 -2 angry
荒谬 -2 angry
不像话 -2.2 angry
不合格 -2 disappointed
不达标 -1.8 disappointed
不规范 -1.5 disappointed
不正规 -1.8 disappointed
不诚信 -2.2 angry
不守信 -2 angry
不讲理 -2.2 angry
言而无信 -2.5 angry
出尔反尔 -2.5 angry
说话不算数 -2.2 angry
说好的 -1 disappointed
缺斤少两 -2.5 angry
过期 -2 disappointed
临期 -1 disappointed
残次 -2 disappointed
残缺 -1.5 disappointed
破洞 -1.5 disappointed
掉色 -1.5 disappointed
褪色 -1.5 disappointed
起球 -1.5 disappointed
开线 -1.5 disappointed
色差 -1.2 disappointed
尺码不准 -1.5 disappointed
说了好几次 -2 angry #repeat
// ── more hotel, electronics, books; verdict phrases ──
没有之一 1 happy
值得一住 2 happy
值得住 1.8 happy
还会来 1.8 happy
还会去 1.5 happy
还会住 2 happy
还会来住 2 happy
下次还住 2 happy
推荐入住 2 happy
以后不会 -1.5 disappointed #cancel
睡不好 -1.8 disappointed
睡不着 -1.5 disappointed
没睡好 -1.8 disappointed
一夜没睡 -2 disappointed
睡得很好 1.8 happy
睡得好 1.5 happy
睡得香 1.8 happy
服务意识差 -2 angry
服务意识强 1.5 happy
效率低 -1.8 disappointed
效率太低 -2 disappointed
没窗 -1.2 disappointed
无窗 -1.2 disappointed
很新 1.2 happy
比较新 1 happy
太老 -1.2 disappointed
划得来 1.5 happy
划不来 -1.5 disappointed
对得起 1.2 happy
对不起 0
失望透顶 -3 disappointed
开机快 1.5 happy
开机慢 -1.5 disappointed
启动快 1.5 happy
启动慢 -1.5 disappointed
分辨率高 1.2 happy
分辨率低 -1.2 disappointed
手感差 -1.5 disappointed
不灵 -1.5 disappointed
温度高 -1.2 disappointed
声音大 -1.2 disappointed
声音很大 -1.5 disappointed
噪音小 1.2 happy
待机时间长 1.5 happy
待机时间短 -1.5 disappointed
像素低 -1 disappointed
很轻 1.5 happy
轻便 1.5 happy
很重 -1 disappointed
很重要 0
重要 0
有点重 -0.6 disappointed
售后服务好 1.5 happy
简单易懂 1.5 happy
简单实用 1.5 happy
太简单 -1 disappointed
文字优美 2 happy
语言优美 2 happy
语言平实 1 happy
爱看 1.5 happy
爱读 1.5 happy
百读不厌 2.5 happy
开阔 1.2 happy
开阔眼界 1.8 happy
翻了几页 -1.2 disappointed
没什么用 -1.8 disappointed
质量好 1.5 happy
质量很好 2 happy
质量不错 1.8 happy
质量过硬 2 happy
装订差 -1.5 disappointed
杰作 2.2 happy
力作 1.8 happy
神作 2.5 happy
大作 1.2 happy
烂书 -2.5 disappointed
烂片 -2.5 disappointed
好片 2 happy
煽情 -1 disappointed
说教 -1.2 disappointed
俗套 -1.5 disappointed
不明白 -0.8 disappointed
帅 1.2 happy
很帅 1.8 happy
酷 1.2 happy
萌 1.2 happy
香甜 1.5 happy
甜美 1.5 happy
舒坦 1.5 happy
利索 1.5 happy
麻利 1.5 happy
干脆 1 happy
爽快 1.2 happy
凉快 0.8 happy
完善 1.2 happy
快速 1.2 happy
准确 1.2 happy
精准 1.2 happy
干净利落 1.8 happy
井井有条 1.8 happy
规范 0.8 happy
正规 1 happy
稳重 1 happy
踏实 1 happy
良好 1.5 happy
好玩 1.5 happy
好听 1.5 happy
好闻 1 happy
好找 1 happy
好说话 1.2 happy
好心 1 happy
好转 0.8 happy
好多了 1 happy
好歹 0
幸好 0
最好别 -1.5 disappointed
最好不要 -1.5 disappointed
好不到哪 -1.5 disappointed
赶快 -1 anxious #urgency
加快 -0.5 anxious
快些 -0.8 anxious #urgency
怠慢 -2 angry
缓慢 -1.5 anxious
很累 -1.2 disappointed
太累 -1.2 disappointed
困难 -1 disappointed
不便 -1.2 disappointed
不顺 -1.2 disappointed
堵车 -1 disappointed
吃力 -1 disappointed
费时 -1 disappointed
迷路 -1 disappointed
出事 -1.5 fearful
事故 -1.2 fearful
受伤 -1.8 fearful
生病 -1.5 disappointed
中毒 -2 fearful
// ── more blockers ──
有没有 0
有没有搞错 -2.5 angry
香烟 0
香烟味 -1.5 disgusted
方便面 0
方便的话 0
满意度 0.5
不客气 0.5
别客气 0.5
爱人 0
打滚 0
偏差 0
差一点 0
交差 0
参差 0
差事 0
怕是 0
烦请 0
不厌其烦 1.5 happy
照旧 0
过硬 1.5 happy
淡淡 0
虫草 0
慢性 0
慢走 0
残酷 -1.5 disappointed
酷暑 0
夸张 -0.8 disappointed
幸亏 0.5
多亏 1 happy
价值 0
值班 0
软烂 1 happy
半个小时 0
// ── food delivery, more ──
满满 1.2 happy
很足 1.5 happy
挺足 1.5 happy
料很足 1.8 happy
份大 1 happy
皮薄 1 happy
馅多 1.2 happy
馅大 1.2 happy
肉嫩 1.5 happy
汤浓 1.2 happy
浓郁 1.2 happy
浓香 1.5 happy
鲜香 1.5 happy
口味好 1.5 happy
合口味 1.5 happy
对口味 1.5 happy
不合口味 -1.5 disappointed
早到 1 happy
早就到了 1.2 happy
个半小时 -1.5 anxious #waiting
晚到 -1.5 anxious #waiting
晚送 -1.5 anxious #waiting
慢慢悠悠 -1.2 anxious #waiting
量小 -1.2 disappointed
分量小 -1.5 disappointed
份量小 -1.5 disappointed
小份 -0.5 disappointed
腻 -1 disappointed
很腻 -1.5 disappointed
太肥 -1.2 disappointed
不接单 -1.5 disappointed
取消 -0.8 disappointed #cancel
打电话 -0.5
联系不上 -1.8 angry
找不到 -1 disappointed
找不到人 -1.8 angry
骗 -1.5 angry
口感差 -1.8 disappointed
不脆 -1 disappointed
软了 -1 disappointed
化了 -1 disappointed
拉稀 -2.5 disgusted
胃疼 -2 disgusted
呕吐 -2.5 disgusted
过敏 -1.5 fearful
吃不下 -1.8 disappointed
吃不下去 -2.2 disappointed
扔了 -1.8 disappointed
倒掉 -2 disappointed
喂狗 -2 angry
没法吃 -2.2 disappointed
不能吃 -2.2 disappointed
// ── blockers: room types, facilities and key names that contain evaluative characters ──
卫生间 0
卫生巾 0
快捷键 0
快捷方式 0
快捷酒店 0
豪华间 0
豪华房 0
豪华套房 0
舒适型 0
经济型 0
豪华型 0
开心果 0
便利店 0.5
服务费 -0.3
卫生不好 -1.8 disgusted
// ── books and hotels, more ──
有折痕 -1.2 disappointed
折痕 -1 disappointed
排版差 -1.5 disappointed
内容太浅 -1.5 disappointed
太浅 -1.2 disappointed
深度不够 -1.5 disappointed
深入 1 happy
缺乏 -1 disappointed
没有深度 -1.5 disappointed
很普通 -1 disappointed
普通 -0.3
平平 -1 disappointed
定价太高 -1.5 disappointed
价格太高 -1.5 disappointed
价格偏贵 -1.2 disappointed
纯属 -1 disappointed
扯淡 -2.5 angry
瞎编 -2 angry
编造 -1.5 angry
抄袭 -2.2 angry
不想看 -1.5 disappointed
看不进去 -2 disappointed
有味 -0.8 disgusted
不能上网 -1.5 disappointed
难打车 -1.2 disappointed
打不到车 -1.2 disappointed
高性能 1 happy
五星级 0
四星级 0
三星级 0
准五星 0
五分钟 0
十分钟 0
一般都 0
一般是 0
一般情况 0
一般会 0
吹头发 0
提前预订 0
提前订 0
负责人 0
多媒体 0
垃圾桶 0
普通话 0
麻烦你 0
麻烦您 0
不足为奇 0
小心 -0.3
很小心 0.8
贪便宜 -0.8 disappointed
图便宜 -0.8 disappointed
便宜没好货 -2 disappointed
不接受 -0.8
佩服 1.5 happy
又来点 1 happy
又点 0.8 happy
马上就到 0.8 happy
不给力 -2 disappointed
不如意 -1.5 disappointed
第二次了 -1.2 angry #repeat
第三次了 -1.8 angry #repeat
第二次入住 1.2 happy
第三次入住 1.5 happy
多次入住 1.2 happy
每次都住 1.5 happy
一直住 1.2 happy
挑剔 -0.5
挑不出 1.5 happy
急事 0
急着 -0.5 anxious
生怕 -1 fearful
// ── more descriptors: rooms, screens, stories ──
种类多 1.2 happy
品种多 1.2 happy
位置偏 -1.2 disappointed
房间大 1 happy
房间很大 1.2 happy
床很大 1 happy
景观好 1.5 happy
海景 0.5 happy
很安全 1.2 happy
安全感 1 happy
屏幕大 1 happy
屏幕亮 1 happy
屏幕暗 -1 disappointed
屏幕小 -1 disappointed
接口少 -1 disappointed
接口多 1 happy
内存小 -1 disappointed
内存大 1 happy
故事性强 1.2 happy
情节紧凑 1.5 happy
栩栩如生 2 happy
观点独到 1.8 happy
独到 1.5 happy
见解 0.5
有思想 1.5 happy
涨知识 1.5 happy
长知识 1.5 happy
指导意义 1.5 happy
借鉴 1 happy
参考价值 1.5 happy
名著 0.5 happy
// ── everyday evaluative adjectives: people, places, things ──
小气 -1.5 disappointed
抠门 -1.8 disappointed
吝啬 -1.5 disappointed
斤斤计较 -1.5 disappointed
老实 0.8 happy
诚实 1.2 happy
单一 -0.8 disappointed
单调 -1.2 disappointed
浪漫 1.2 happy
安逸 1.2 happy
宁静 1.2 happy
清静 1.2 happy
幽静 1.2 happy
热闹 0.5
繁华 0.8 happy
冷清 -1 disappointed
萧条 -1 disappointed
破败 -1.8 disappointed
荒凉 -1.2 disappointed
干爽 1 happy
闷 -1 disappointed
闷热 -1.5 disappointed
通风 0.2
透气 0.5 happy
阴冷 -1.2 disappointed
暖和 1 happy
凉爽 1 happy
顺手 1.5 happy
称手 1.2 happy
好使 1.5 happy
迅捷 1.5 happy
顺滑 1.5 happy
丝滑 1.8 happy
清脆 1 happy
饱满 1.2 happy
刺耳 -1.5 disappointed
刺眼 -1.2 disappointed
发黄 -1.2 disappointed
变色 -1.2 disappointed
毛糙 -1.5 disappointed
聪明 1.2 happy
能干 1.5 happy
勤快 1.5 happy
懒 -1.5 disappointed
懒得 -1 disappointed
笨 -1.2 disappointed
死板 -1.5 disappointed
生硬 -1.5 angry
粗鲁 -2.2 angry
野蛮 -2.2 angry
凶 -1.5 angry
蛮横 -2.2 angry
嚣张 -2 angry
势利 -2 angry
势利眼 -2.2 angry
歧视 -2.2 angry
冷落 -1.5 angry
不闻不问 -2.2 angry
置之不理 -2.2 angry
视而不见 -1.8 angry
无动于衷 -1.8 angry
漠不关心 -2 angry
无微不至 2.5 happy
体贴 2 happy
体贴入微 2.5 happy
彬彬有礼 2 happy
笑脸相迎 2 happy
微笑服务 1.8 happy
面带微笑 1.5 happy
微笑 1 happy
笑容 1 happy
主动 1.2 happy
积极 1.2 happy
有求必应 2.2 happy
尽心尽力 2 happy
尽心 1.5 happy
尽力 1 happy

帮了大忙 2 happy
及时解决 1.8 happy
品质好 1.8 happy
品质高 1.5 happy
用料足 1.8 happy
用料好 1.5 happy
真材实料 2.2 happy
精品 1.8 happy
上乘 1.8 happy
高品质 1.8 happy
低质 -2 disappointed
不得不说 0
不得不承认 0
不能不 0
难以忍受 -2.5 angry
难以接受 -2 angry
难以置信 -0.5 surprised
难以入睡 -1.8 disappointed
无法忍受 -2.5 angry
不能忍 -2 angry
忍不了 -2 angry
忍受 -1 disappointed
值得深思 1.5 happy
发人深思 2 happy
引人深思 2 happy
耐看 1.5 happy
好读 1.2 happy
可读性强 1.8 happy
可读性 0.3
可读性差 -1.8 disappointed
兼容性好 1.2 happy
兼容性差 -1.5 disappointed
稳定性好 1.2 happy
稳定性差 -1.5 disappointed
没什么特别 -1.2 disappointed
// ── compounds that begin with a negator (不 没 无 未 别) but negate nothing ──
不论 0
不光 0
不只 0
不单 0
不外乎 0
不由得 0
不禁 0
不时 0
不免 0
不如说 0
要不 0
要不然 0
不得了 0
得不行 0
不妨 0.5
不愧 1.5 happy
不辜负 1.5 happy
不虚此行 2 happy
不失为 1 happy
不可多得 2 happy
不可思议 0.3 surprised
不赖 1.5 happy
不俗 1.5 happy
不凡 1.5 happy
不菲 -0.8 disappointed
没得挑 2 happy
没挑的 2 happy
没话讲 1.5 happy
没错 0
没准 0
没多久 0.8 happy
没几天 0.5 happy
没一会 1 happy
没过多久 0.8 happy
没落 -1 disappointed
埋没 -0.5
出没 0
无疑 0.5
无与伦比 2.5 happy
无可比拟 2 happy
无可厚非 0.5
无用 -1.5 disappointed
无限 0
未来 0
未必 0
未免 0
未知 0
别墅 0
别致 1.5 happy
别具一格 1.8 happy
别有风味 1.8 happy
别出心裁 1.8 happy
别样 0.5
别说 0
别提 0
不后悔 1.5 happy
不会后悔 1.8 happy
绝不后悔 2 happy
没有失望 1.5 happy
不失望 1.2 happy
没有问题 1 happy
没有任何问题 1.5 happy
没什么问题 1 happy
没有什么问题 1 happy
一点问题都没有 1.5 happy
// ── internet slang ──
恐怖片 0
恐怖小说 0
悲剧 -1.8 disappointed
杯具 -1.8 disappointed
洗具 1.5 happy
汗一个 -0.8 disappointed
狂汗 -1 disappointed
汗死 -1 disappointed
晕 -0.8 angry
晕死 -1.5 angry
晕车 0
晕倒 -1 angry
头晕 -1 disappointed
给跪 -1 angry
跪了 -1.2 angry
浮云 -0.5 disappointed
伤不起 -1.5 disappointed
蛋疼 -1.5 angry
苦逼 -2 disappointed
高大上 1.5 happy
逆天 1.5 happy
霸气 1.5 happy
亮瞎 1.2 happy
萌萌哒 2 happy
点个赞 2 happy
必须好评 2.5 happy
必须赞 2.2 happy
// ── blockers: everyday words that hold a sentiment term across their boundary ──
妈妈 0
妈妈的 0
好象 0
早上 0
晚上 0
老实说 0
老实讲 0
说老实话 0
变化 0
文化 0
优化 0
简化 0
强化 0
美化 0
进化 0
消化 0
转化 0
绿化 0
宝贵的时间 0
宝贵时间 0
没事就 0
没事的时候 0
没事干 0
房间紧张 0
房源紧张 0
不多 0
不小心 -0.3
靠近 0
靠江 0
靠海 0
靠湖 0
靠河 0
靠山 0
靠窗 0
靠街 0
靠马路 0
靠路边 0
靠边 0
靠背 0
靠着 0
靠在 0
依靠 0
停靠 0
// ── degree: 不是一般的 (no ordinary …), 得厉害 (… badly) ──
不一般 1.2 happy
非同一般 1.5 happy
非同寻常 1.2 happy
得厉害 -1.2 disappointed
觉得厉害 1.5 happy
觉得很厉害 1.8 happy
觉得挺厉害 1.6 happy
得很厉害 -1.5 disappointed
得太厉害 -1.6 disappointed
得比较厉害 -1.2 disappointed
发热厉害 -1.5 disappointed
发热比较厉害 -1.3 disappointed
发热很厉害 -1.6 disappointed
// ── general evaluation: 佳 (good) ──
不佳 -1.2 disappointed
欠佳 -1.2 disappointed
甚佳 1.5 happy
极佳 2 happy
较佳 1 happy
最佳 1.5 happy
佳作 1.8 happy
上佳 1.5 happy
不习惯 -0.8 disappointed
用不习惯 -1 disappointed
一蹋糊涂 -2.5 angry
// ── hotel: soundproofing, ventilation, hygiene ──
不隔音 -1.5 disappointed
隔音好 1 happy
隔音不错 1.2 happy
隔音效果好 1.2 happy
隔音效果不错 1.2 happy
隔音良好 1.2 happy
不通风 -1.2 disappointed
通风差 -1.2 disappointed
通风不好 -1.2 disappointed
通风良好 1 happy
通风好 0.8 happy
很卫生 1.2 happy
干净卫生 1.5 happy
卫生干净 1.5 happy
卫生一般 -1 disappointed
卫生差 -2 disgusted
卫生较差 -1.8 disgusted
卫生很差 -2.2 disgusted
卫生太差 -2.5 disgusted
卫生纸 0
卫生条件 0
卫生状况 0
卫生情况 0
卫生方面 0
// ── service: help ──
热心帮忙 1.5 happy
主动帮忙 1.5 happy
帮忙解决 1 happy
// ── electronics: heat, noise, drivers ──
发热量大 -1.5 disappointed
发热量很大 -1.8 disappointed
发热量较大 -1.2 disappointed
发热量比较大 -1.2 disappointed
发热量小 1.2 happy
发热量不大 0.8 happy
发热小 1 happy
发热不大 0.8 happy
发热量 0
驱动难找 -1.2 disappointed
驱动不全 -1.2 disappointed
没有驱动 -1 disappointed
不带驱动 -1 disappointed
// ── books and media: praise ──
十全十美 2.5 happy
吸引人 1.8 happy
很吸引人 2 happy
吸引 1 happy
扣人心弦 2 happy
大开眼界 1.8 happy
打开眼界 1.5 happy
开眼界 1.2 happy
获益匪浅 2 happy
收获颇丰 2 happy
一目了然 1.2 happy
图文并茂 1.8 happy
生动有趣 2 happy
妙趣横生 2 happy
语言生动 1.8 happy
跌宕起伏 1.5 happy
感人至深 2 happy
欲罢不能 1.8 happy
入迷 1.5 happy
着迷 1.5 happy
值得珍藏 2 happy
经典之作 2 happy
开卷有益 1.5 happy
很有启发 2 happy
尚可 0.6
圆满 1.2 happy
不影响 0.6
满怀期望 0.5
// ── books and media: complaints ──
不温不火 -0.8 disappointed
絮絮叨叨 -1.2 disappointed
枯燥乏味 -2 disappointed
味同嚼蜡 -2.2 disappointed
耐着性子 -1.2 disappointed
不敢恭维 -1.8 disappointed
惨不忍睹 -2.2 disappointed
期望过高 -0.6 disappointed
期望太高 -0.6 disappointed
夸大其词 -1.8 disappointed
圈钱 -2 angry
老套 -1.2 disappointed
不突出 -0.6 disappointed
// ── value for money ──
价格低 1.2 happy
价格很低 1.5 happy
超低价 1.5 happy
价格超低 1.5 happy
价位合适 1.2 happy
很超值 2 happy
省钱 1 happy
性比价 0.6
性比价高 2.2 happy
贵得离谱 -2.5 angry
不值这个价钱 -2 disappointed
// ── electronics: praise ──
强劲 1.2 happy
该有的都有 1.5 happy
做工精良 2 happy
续航时间长 1.5 happy
均衡 0.8
运行稳定 1.5 happy
// ── electronics: complaints ──
音质差 -1.5 disappointed
电池时间短 -1.2 disappointed
电池不耐用 -1.5 disappointed
经常卡 -1.5 disappointed
死慢 -2 disappointed
不匹配 -1 disappointed
装不上 -1.5 disappointed
难装 -1.2 disappointed
不好装 -1.2 disappointed
通病 -1 disappointed
刮伤 -1.2 disappointed
塑料感 -1 disappointed
发热严重 -1.8 disappointed
指纹收集器 -1 disappointed
容易留指纹 -0.8 disappointed
接触不良 -1.5 disappointed
// ── hotel and service ──
有待提高 -1 disappointed
有待改进 -1 disappointed
有待加强 -1 disappointed
有待改善 -1 disappointed
需要改进 -0.8 disappointed
热情周到 2 happy
闹中取静 1.5 happy
窗明几净 1.8 happy
一问三不知 -2 angry
老样子 -0.5 disappointed
白来 -1.5 disappointed
吐血 -1.8 angry
// ── delivery and shop ──
发货及时 1.5 happy
包装破损 -1.8 disappointed
快递慢 -1.5 anxious
少发 -1.5 disappointed
漏发 -1.5 disappointed
发错 -1.8 angry
发错货 -2 angry
// ── food delivery: fat, excess ──
肥肉 -0.5 disappointed
肥肉多 -1.5 disappointed
肥肉太多 -2 disappointed
的厉害 -1 disappointed
的很厉害 -1.2 disappointed
// ── hotel: more ──
地理位置优越 2 happy
交通便捷 1.5 happy
房间宽敞 1.8 happy
干净舒适 2 happy
床很舒服 1.8 happy
早餐很差 -2 disappointed
服务态度好 2 happy
服务态度很差 -2.5 angry
服务质量差 -2 disappointed
热水不热 -1.5 disappointed
空调不制冷 -1.8 disappointed
空调不好 -1.5 disappointed
床单不干净 -2 disgusted
毛巾不干净 -2 disgusted
有异味 -1.5 disgusted
有霉味 -1.8 disgusted
蚊子多 -1.5 disappointed
性价比不错 1.8 happy
会再入住 2 happy
不会再入住 -2.2 disappointed
// ── electronics: more ──
屏幕漂亮 1.5 happy
开机速度快 1.5 happy
散热良好 1.5 happy
携带方便 1.5 happy
便于携带 1.5 happy
机身轻薄 1.5 happy
做工细致 1.8 happy
键盘手感好 1.8 happy
速度很慢 -1.8 disappointed
反应迟钝 -1.5 disappointed
运行缓慢 -1.5 disappointed
经常死机 -2.2 disappointed
容易死机 -2 disappointed
散热一般 -1 disappointed
散热很差 -2 disappointed
噪音很大 -1.8 disappointed
风扇声音大 -1.5 disappointed
电池不行 -1.5 disappointed
屏幕有坏点 -2 disappointed
无坏点 1 happy
没有坏点 1 happy
没坏点 1 happy
做工很差 -2.2 disappointed
质量不行 -2 disappointed
质量有问题 -2 disappointed
用了没多久 -1 disappointed
没多久就坏 -2.2 disappointed
// ── books: more ──
内容丰富 1.8 happy
内容充实 1.8 happy
内容精彩 2 happy
内容单薄 -1.5 disappointed
内容一般 -1 disappointed
内容太少 -1.5 disappointed
内容重复 -1.5 disappointed
印刷粗糙 -1.8 disappointed
纸张粗糙 -1.5 disappointed
纸质粗糙 -1.5 disappointed
纸很薄 -1 disappointed
有盗版嫌疑 -2 angry
像盗版 -2 angry
怀疑是盗版 -2 angry
翻译生硬 -1.8 disappointed
翻译得很烂 -2.5 disappointed
翻译不好 -1.8 disappointed
翻译很好 1.8 happy
翻译不错 1.8 happy
孩子很喜欢 2.2 happy
孩子喜欢 2 happy
宝宝很喜欢 2.2 happy
宝宝喜欢 2 happy
女儿很喜欢 2.2 happy
儿子很喜欢 2.2 happy
不值得一看 -2 disappointed
不值得买 -2 disappointed
后悔买了 -2.2 disappointed
买了后悔 -2.2 disappointed
浪费金钱 -2 disappointed
// ── books: re-reading ──
反复看 0.8 happy
反复读 0.8 happy
反复阅读 1 happy
问题不大 0.8
// ── wishes: 要是…就好了 says that something is missing; 就更好了 only asks for more ──
就好了 0
就更好了 0.5
就完美了 0
就更完美了 0.5
就更赞了 0.5
多好啊 -0.3
期望值 0
期望值太高 -0.8 disappointed
// ── value for money ──
性价比超高 2.5 happy
性价比超级高 2.5 happy
性价比极高 2.5 happy
性价比非常高 2.5 happy
性价比相当高 2.5 happy
性价比挺高 2.2 happy
性价比较高 1.8 happy
性价比比较高 1.8 happy
性价比不高 -1.2 disappointed
性价比低 -1.5 disappointed
性价比很低 -2 disappointed
性价比太低 -2 disappointed
性价比太差 -2 disappointed
// ── praise: nothing to fault ──
没什么可挑剔 2 happy
没有什么可挑剔 2 happy
没什么可挑剔的 2 happy
挑不出毛病 2 happy
挑不出什么毛病 2 happy
// ── comfort: 别担心, 不要着急 reassure (calm), unlike 别浪费钱 ──
别担心 0.3
不要担心 0.3
别着急 0
不要着急 0
别急 0
别生气 0
不要生气 0
别难过 0
不要难过 0
别怕 0.3
不要怕 0.3
`;

export const EN_LEXICON = `
// ── blockers (weight 0): contractions that would read as other words once the apostrophe is dropped ──
he'll 0
she'll 0
we'll 0
i'll 0
it'll 0
not only 0
no matter 0
not to mention 0
no doubt 0.3
like this 0
like that 0
looks like 0
feel like 0
would like 0
i'd like 0
like to 0
seems like 0
// ── complaints, threats, escalation ──
complaint -2 angry #complaint
complaints -1.8 angry #complaint
complain -2 angry #complaint
complaining -2 angry #complaint
complained -2 angry #complaint
file a complaint -2.8 angry #complaint
formal complaint -2.8 angry #complaint
report you -2.5 angry #threat
reporting you -2.5 angry #threat
better business bureau -3 angry #threat
bbb -2.5 angry #threat
dot -0.5 #threat
lawyer -2 angry #threat
attorney -2 angry #threat
sue -2.5 angry #threat
suing -2.5 angry #threat
lawsuit -2.5 angry #threat
legal action -2.5 angry #threat
chargeback -2.5 angry #threat
dispute the charge -2.5 angry #threat
going public -2 angry #threat
speak to a manager -1.8 angry #complaint
speak to a supervisor -1.8 angry #complaint
talk to a manager -1.8 angry #complaint
escalate -1.5 angry #complaint
cancel my account -2.5 angry #cancel
cancel my subscription -2 angry #cancel
cancel my membership -2 angry #cancel
cancel my card -2 angry #cancel
close my account -2.5 angry #cancel
never again -2.5 angry #cancel
neveragain -2.5 angry #cancel
never use -2 angry #cancel
never fly -2.5 angry #cancel
never flying -2.5 angry #cancel
never booking -2.2 angry #cancel
will never -1.8 angry #cancel
last time i -1.8 angry #cancel
switching to -1.5 angry #cancel
switch to -1 #cancel
switching airlines -2.2 angry #cancel
done with you -2.5 angry #cancel
im done -2 angry #cancel
lost a customer -2.8 angry #cancel
lost my business -2.8 angry #cancel
losing customers -2 angry #cancel
take my business elsewhere -2.8 angry #cancel
unsubscribe -1 #cancel
// repetition
third time -1.8 angry #repeat
fourth time -2.2 angry #repeat
second time -1 angry #repeat
again -0.5 angry #repeat
yet again -2 angry #repeat
once again -1.5 angry #repeat
again and again -2.2 angry #repeat
every time -1.2 angry #repeat
every single time -2 angry #repeat
already told -2 angry #repeat
told you -1.2 angry #repeat
keep asking -1.8 angry #repeat
keep getting -1.2 angry #repeat
keeps happening -2 angry #repeat
how many times -2.2 angry #repeat
multiple times -1.5 angry #repeat
several times -1.2 angry #repeat
numerous times -1.8 angry #repeat
countless -1.5 angry #repeat
repeatedly -1.8 angry #repeat
constantly -1.2 angry #repeat
still -0.5 anxious
// ── anger, frustration, insults ──
angry -2.5 angry
anger -2.2 angry
furious -3 angry
mad -2 angry
pissed -2.8 angry
pissed off -3 angry
livid -3 angry
irate -2.8 angry
outraged -3 angry
outrage -2.8 angry
outrageous -2.8 angry
ridiculous -2.5 angry
ridiculously -1.5 angry
unacceptable -2.8 angry
not acceptable -2.8 angry
inexcusable -2.8 angry
no excuse -2.2 angry
absurd -2.2 angry
insane -1.8 angry
crazy -1 angry
disgrace -2.8 angry
disgraceful -2.8 angry
shameful -2.5 angry
shame -1.5 angry
shame on -2.5 angry
embarrassing -2.2 angry
embarrassment -2.2 angry
scam -3 angry
scammed -3 angry
scammers -3 angry
fraud -3 angry
rip off -2.5 angry
ripoff -2.5 angry
ripped off -2.8 angry
robbery -2.5 angry
stealing -2.5 angry
liar -2.8 angry
liars -2.8 angry
lied -2.5 angry
lie -2 angry
lies -2.2 angry
lying -2.5 angry
dishonest -2.5 angry
misleading -2 angry
deceptive -2.2 angry
false -1.2 angry
rude -2.5 angry
rudest -3 angry
rudely -2.5 angry
impolite -2 angry
disrespectful -2.5 angry
disrespected -2.5 angry
condescending -2.2 angry
arrogant -2 angry
attitude -1.2 angry
hostile -2.2 angry
unprofessional -2.5 angry
unhelpful -2.2 angry
unfriendly -2 angry
incompetent -2.8 angry
incompetence -2.8 angry
inept -2.5 angry
clueless -2 angry
careless -1.8 angry
negligent -2.2 angry
negligence -2.2 angry
irresponsible -2.2 angry
lazy -1.8 angry
greedy -2 angry
greed -2 angry
worst -3 angry
terrible -2.5 angry
terribly -1.8 angry
horrible -2.5 angry
horribly -2 angry
horrendous -2.8 angry
horrific -2.8 angry
awful -2.5 disappointed
awfully -1.2 disappointed
dreadful -2.5 disappointed
atrocious -2.8 angry
abysmal -2.8 angry
appalling -2.8 angry
appalled -2.8 angry
pathetic -2.8 angry
useless -2.5 angry
worthless -2.5 angry
hopeless -2.2 disappointed
pointless -2 disappointed
garbage -2.5 angry
trash -2.2 angry
rubbish -2.2 angry
crap -2.5 angry
crappy -2.5 angry
shit -2.5 angry
shitty -2.8 angry
bullshit -2.8 angry
bs -1.8 angry
lousy -2.2 angry
sucks -2.5 angry
suck -2.2 angry
sucked -2.2 angry
stinks -2.2 angry
sux -2.5 angry
wtf -3 angry
wth -2 angry
ffs -2.5 angry
fml -2.5 disappointed
smh -1.8 angry
ugh -1.8 angry
argh -1.8 angry
grr -1.8 angry
grrr -1.8 angry
fuck -2.8 angry
fucked -2.8 angry
fucking -1.5 angry
fuckin -1.5 angry
f'ing -1.2 angry
effing -1.2 angry
screw you -2.8 angry
hate -2.5 angry
hated -2.5 angry
hates -2.5 angry
hating -2.2 angry
loathe -2.8 angry
despise -2.8 angry
hell -1.5 angry
what the hell -2.5 angry
the hell -2 angry
what the heck -2 angry
damn -1.8 angry
dammit -2 angry
damnit -2 angry
goddamn -2.5 angry
bloody -0.8 angry
fed up -2.5 angry
sick of -2.5 angry
sick and tired -2.8 angry
tired of -2 angry
had enough -2.2 angry
enough is enough -2.5 angry
joke -1.5 angry
a joke -2 angry
laughable -2 angry
clown -1.8 angry
clowns -1.8 angry
idiot -2.8 angry
idiots -2.8 angry
stupid -2.5 angry
dumb -2.2 angry
moron -2.8 angry
ignorant -2.2 angry
ignored -2 angry
ignoring -2 angry
ignore -1.5 angry
ignores -2 angry
blamed -1.8 angry
blame -1.5 angry
blaming -1.8 angry
excuse -1.2 angry
excuses -1.8 angry
refused -2 angry
refuse -1.8 angry
refuses -1.8 angry
refusing -2 angry
denied -1.8 angry
threatened -2 angry
yelled -2.2 angry
yelling -2 angry
screamed -2 angry
screaming -1.8 angry
kicked off -2.5 angry
treated like -2 angry
like cattle -2.5 angry
cattle -1.5 angry
unfair -2 angry
not fair -2 angry
not ok -1.8 angry
not okay -1.8 angry
not cool -1.8 angry
are you kidding -2.2 angry
are you serious -2.2 angry
you kidding me -2.2 angry
kidding me -2 angry
give me a break -2 angry
so much for -2 angry
thanks for nothing -2.8 angry
no thanks to -2.2 angry
// ── urgency, waiting, delays ──
urgent -2 anxious #urgency
urgently -2 anxious #urgency
emergency -1.8 anxious #urgency
asap -1.8 anxious #urgency
immediately -1.2 anxious #urgency
hurry -1.5 anxious #urgency
right now -1 anxious #urgency
need help -1.2 anxious #urgency
need an answer -1.5 anxious #urgency
please help -1 anxious #urgency
help me -0.6 anxious #urgency
still waiting -2 anxious #waiting
been waiting -2 anxious #waiting
keep waiting -1.8 anxious #waiting
waiting -1.2 anxious #waiting
waited -1.5 anxious #waiting
wait -0.6 anxious #waiting
long wait -2 anxious #waiting
wait time -1.2 anxious #waiting
wait times -1.5 anxious #waiting
waiting for hours -2.5 anxious #waiting
for hours -1.8 anxious #waiting
hours -0.8 anxious #waiting
hrs -1 anxious #waiting
hour -0.4 anxious #waiting
hr -0.5 anxious #waiting
all day -1.2 anxious #waiting
all night -1.2 anxious #waiting
overnight -1 anxious #waiting
forever -1.2 anxious #waiting
takes forever -2 anxious #waiting
taking forever -2 anxious #waiting
took forever -2 anxious #waiting
eternity -1.5 anxious #waiting
ages -0.8 anxious #waiting
endless -1.2 anxious #waiting
long line -1.8 anxious #waiting
long lines -1.8 anxious #waiting
queue -0.8 anxious #waiting
on hold -1.8 anxious #waiting
hold time -1.8 anxious #waiting
hold times -1.8 anxious #waiting
put on hold -2 anxious #waiting
been on hold -2.2 anxious #waiting
hold -0.8 anxious #waiting
holding -0.6 anxious #waiting
hung up -2 angry
hang up -1.8 angry
hangs up -2 angry
disconnected -1.8 angry
busy signal -2 angry
call back -0.6 anxious #waiting
callback -0.6 anxious #waiting
delayed -2 anxious #waiting
delay -1.8 anxious #waiting
delays -1.8 anxious #waiting
delaying -1.8 anxious #waiting
late -1.5 anxious #waiting
overdue -1.5 anxious #waiting
behind schedule -1.5 anxious #waiting
stuck -1.8 anxious #waiting
stranded -2.5 anxious #waiting
sitting on the tarmac -2.2 anxious #waiting
on the tarmac -1.5 anxious #waiting
tarmac -1 anxious #waiting
too slow -2 anxious #waiting
slow -1.2 anxious
slowest -2.2 anxious
where is my -1.2 anxious #waiting
where are my -1.2 anxious #waiting
wheres my -1.2 anxious #waiting
how long -1 anxious #waiting
any update -1 anxious #waiting
any updates -1 anxious #waiting
any news -0.8 anxious #waiting
no update -1.8 anxious #waiting
no updates -1.8 anxious #waiting
worried -2 anxious
worry -1.5 anxious
worrying -1.8 anxious
nervous -1.8 anxious
anxious -2 anxious
anxiety -2 anxious
stressed -2 anxious
stress -1.5 anxious
stressful -2 anxious
concerned -1.5 anxious
concern -1 anxious
concerning -1.5 anxious
uneasy -1.5 anxious
panic -2 anxious
panicking -2 anxious
desperate -2 anxious
confused -1 anxious
confusing -1.2 anxious
confusion -1.2 anxious
unsure -0.6 anxious
not sure -0.5 anxious
// ── travel and airline troubles ──
cancelled -1.8 disappointed
canceled -1.8 disappointed
cancel -1 disappointed #cancel
cancelling -1.5 disappointed
canceling -1.5 disappointed
cancels -1.5 disappointed
cancellation -1.5 disappointed
cancellations -1.8 disappointed
rebook -0.8 disappointed
rebooked -1 disappointed
rebooking -1 disappointed
rescheduled -0.8 disappointed
diverted -1.5 disappointed
grounded -1 disappointed
missed connection -2.2 disappointed
missed my connection -2.5 disappointed
missed connections -2.2 disappointed
misconnect -2 disappointed
missed my flight -2.5 disappointed
missed -1.8 disappointed
miss -0.8 disappointed
missing -1.5 anxious
overbooked -2.2 angry
oversold -2 angry
overbooking -2 angry
bumped -1.8 angry
denied boarding -2.5 angry
lost -1.8 anxious
lose -1.5 anxious
losing -1.5 anxious
loses -1.8 anxious
lost luggage -2.5 anxious
lost bag -2.5 anxious
lost bags -2.5 anxious
lost baggage -2.5 anxious
lost my bag -2.8 anxious
lost my luggage -2.8 anxious
mishandled -2 angry
damaged -1.8 disappointed
damage -1.5 disappointed
no bags -1.5 anxious
delayed bag -2.2 anxious
delayed bags -2.2 anxious
no show -1.2 disappointed
gate change -0.8 disappointed
mechanical -1 disappointed
maintenance -0.6 disappointed
broken seat -2 disappointed
no wifi -1.5 disappointed
no power -1 disappointed
no food -1.2 disappointed
no seat -1.2 disappointed
no seats -1.2 disappointed
no crew -1.5 disappointed
no pilot -1.5 disappointed
no pilots -1.5 disappointed
no gate -1.5 disappointed
no agents -1.8 angry
no agent -1.5 angry
no one -1 angry
nobody -1 angry
no response -2 angry
no reply -1.8 angry
no answer -1.8 angry
no answers -1.8 angry
no help -2 angry
no info -1.5 angry
no information -1.5 angry
no explanation -2 angry
no communication -2 angry
no apology -2 angry
no compensation -1.8 angry
no refund -2 angry
no notice -1.5 angry
no warning -1.5 angry
no reason -1.2 angry
no idea -1 anxious
no clue -1.2 angry
no way -1.2 angry
no longer -0.8 disappointed
not even -1 angry
not once -1.5 angry
never received -2 angry
never got -1.8 angry
never arrived -2 angry
never showed -2 angry
never called -2 angry
never heard back -2.2 angry
never responded -2.2 angry
never answered -2 angry
didnt receive -1.5 angry
didnt get -1 disappointed
havent received -1.5 angry
havent heard -1.5 angry
not received -1.5 angry
still havent -1.8 angry
still hasnt -1.8 angry
still no -1.8 angry
still not -1.5 angry
still dont -1.5 angry
cant get through -2.2 angry
cant reach -1.8 angry
cant get -0.8 disappointed
cant find -1 disappointed
cant even -1.8 angry
cant believe -1.8 angry
couldnt believe -1.5 angry
unable to -1.2 disappointed
impossible -1.8 disappointed
no way to -1.5 angry
wont let -1.8 angry
wouldnt let -1.8 angry
charged -1 angry
overcharged -2.2 angry
charge me -1.2 angry
charging -1 angry
fee -1 disappointed
fees -1.2 disappointed
change fee -1.5 disappointed
bag fee -1.5 disappointed
hidden fees -2.2 angry
refund -0.8 disappointed
refunds -0.8 disappointed
reimburse -0.8 disappointed
reimbursement -0.8 disappointed
compensation -0.8 disappointed
compensate -0.6 disappointed
voucher -0.3
file a claim -1.5 disappointed
claim -0.6 disappointed
cramped -1.8 disappointed
uncomfortable -1.8 disappointed
smelly -1.8 disgusted
smells -1.2 disgusted
smelled -1.2 disgusted
freezing -1.2 disappointed
cold -0.6 disappointed
exhausted -1.8 disappointed
tired -1.2 disappointed
crying -1.8 disappointed
cry -1.5 disappointed
tears -1.2 disappointed
slept in the airport -2.2 disappointed
sleep in the airport -2 disappointed
sleeping in the airport -2.2 disappointed
customer service -0.4
customerservice -0.4
worst customer service -3 angry
inconvenience -1.5 disappointed
inconvenienced -1.8 disappointed
inconvenient -1.5 disappointed
hassle -1.8 disappointed
headache -1.5 disappointed
pain -1.2 disappointed
nightmare -2.5 angry
disaster -2.2 angry
disastrous -2.5 angry
fiasco -2.5 angry
chaos -1.8 angry
chaotic -1.8 angry
mess -1.8 angry
messed up -2.2 angry
screwed -2.2 angry
screwed up -2.5 angry
screw up -2.2 angry
screwup -2.2 angry
botched -2.2 angry
dropped the ball -2.2 angry
disorganized -2 angry
unorganized -2 angry
unreliable -2 disappointed
// ── disappointment, sadness, poor quality ──
disappointed -2.2 disappointed
disappointing -2.2 disappointed
disappointment -2.2 disappointed
disappoints -2 disappointed
let down -2 disappointed
let me down -2.2 disappointed
let us down -2.2 disappointed
letdown -2 disappointed
dissatisfied -2.2 disappointed
unsatisfied -2 disappointed
unhappy -2 disappointed
sad -1.8 disappointed
sadly -1.5 disappointed
saddened -1.8 disappointed
upset -2 disappointed
depressed -2 disappointed
depressing -2 disappointed
miserable -2.5 disappointed
devastated -2.5 disappointed
heartbroken -2.5 disappointed
gutted -2.2 disappointed
bummed -1.8 disappointed
bummer -1.5 disappointed
frustrated -2.2 angry
frustrating -2.2 angry
frustration -2.2 angry
annoyed -2 angry
annoying -2 angry
annoyance -1.8 angry
irritated -2 angry
irritating -2 angry
aggravating -2.2 angry
aggravated -2.2 angry
infuriating -2.8 angry
infuriated -2.8 angry
poor -1.5 disappointed
poorly -1.8 disappointed
bad -1.8 disappointed
badly -1.5 disappointed
worse -2 disappointed
mediocre -1.5 disappointed
subpar -1.8 disappointed
sub par -1.8 disappointed
substandard -2 disappointed
inferior -1.8 disappointed
meh -1.2 disappointed
so so -0.8 disappointed
lame -1.8 disappointed
weak -1.2 disappointed
ugly -1.8 disappointed
cheap -0.5
cheaply made -2 disappointed
flimsy -1.8 disappointed
broken -1.8 disappointed
broke -1.5 disappointed
breaks -1.5 disappointed
defective -2 disappointed
faulty -2 disappointed
malfunction -1.8 disappointed
glitch -1.5 disappointed
glitches -1.5 disappointed
bug -0.8 disappointed
buggy -1.8 disappointed
crash -1.5 disappointed
crashed -1.8 disappointed
crashes -1.8 disappointed
crashing -1.8 disappointed
freezes -1.5 disappointed
error -1.2 disappointed
errors -1.2 disappointed
doesnt work -1.8 disappointed
didnt work -1.8 disappointed
not working -1.8 disappointed
stopped working -2 disappointed
wont work -1.8 disappointed
out of order -1.5 disappointed
wrong -1.2 disappointed
incorrect -1.2 disappointed
mistake -1.2 disappointed
mistakes -1.5 disappointed
problem -0.8 disappointed
problems -1 disappointed
issue -0.6 disappointed
issues -0.8 disappointed
trouble -1.2 disappointed
troubles -1.2 disappointed
fail -1.8 disappointed
failed -1.8 disappointed
fails -1.8 disappointed
failing -1.8 disappointed
failure -2 disappointed
epic fail -2.5 angry
epicfail -2.5 angry
ruin -2 disappointed
ruined -2.5 disappointed
ruining -2.5 disappointed
ruins -2.2 disappointed
destroyed -2.2 disappointed
regret -2 disappointed
regrets -1.8 disappointed
unfortunately -1.2 disappointed
unfortunate -1.2 disappointed
sorry -0.5 disappointed
apologize -0.3
apology -0.5 disappointed
an apology -1.2 disappointed
waste -2 disappointed
wasted -2 disappointed
wasting -1.8 disappointed
waste of time -2.5 disappointed
waste of money -2.5 disappointed
overpriced -1.8 disappointed
expensive -1 disappointed
pricey -0.8 disappointed
not worth -1.8 disappointed
worst experience -3 angry
never disappoints 2.2 happy
terrible service -2.8 angry
bad service -2.5 angry
poor service -2.5 angry
lousy service -2.8 angry
dirty -1.8 disgusted
filthy -2.5 disgusted
gross -2.2 disgusted
disgusting -2.8 disgusted
disgusted -2.8 disgusted
nasty -2.2 disgusted
vile -2.5 disgusted
revolting -2.5 disgusted
sickening -2.5 disgusted
inedible -2.5 disgusted
stale -1.5 disgusted
moldy -2.2 disgusted
// ── fear, security ──
scared -2 fearful
scary -1.8 fearful
afraid -2 fearful
fear -1.8 fearful
terrified -2.8 fearful
terrifying -2.8 fearful
frightened -2.5 fearful
frightening -2.5 fearful
stolen -2.2 fearful
theft -2 fearful
hacked -2.5 fearful
fraudulent -2.5 fearful
unauthorized -2 fearful
unsafe -2 fearful
dangerous -2 fearful
danger -1.5 fearful
unsecure -1.8 fearful
compromised -2 fearful
// ── surprise ──
surprised 0.2 surprised
surprising 0.2 surprised
surprise 0.3 surprised
shocked -0.8 surprised
shocking -1.2 surprised
wow 0.5 surprised
whoa 0.2 surprised
omg 0 surprised
unbelievable -1 surprised
cant believe it 0 surprised
speechless -0.5 surprised
astonished 0.3 surprised
stunned 0 surprised
unexpected 0 surprised
// ── complaint structures without an evaluative word ──
supposed to -1.2
was supposed to -1.5 disappointed
were supposed to -1.5 disappointed
should have -1
shouldve -1
should not have -1.5 angry
would have been nice -1.5 disappointed
would be nice -0.8
what happened -1
what is going on -1.2
whats going on -1.2
whats the point -2 angry
what is the point -2 angry
whats the deal -1.5 angry
whats up with -1.2
is this how -1.5 angry
how hard -1.8 angry
how difficult -1.5 angry
how is it -1
how is this -1.2
how can you -1.5 angry
how do you expect -2 angry
why would -1.5 angry
why would you -1.8 angry
why is it -1
why does it -1
why did -1
why does -0.8
why do -0.8
why are -0.8
why is -0.8
why cant -1.5 angry
why wont -1.5 angry
why didnt -1.5 angry
why doesnt -1.5 angry
why isnt -1.5 angry
why not -1
why -0.5
trying to call -1.5 angry
tried calling -1.5 angry
tried to call -1.5 angry
been trying -1.5 angry
trying to -0.5
tried -0.6
answer the phone -1.5 angry
pick up the phone -1.5 angry
answer your phone -1.5 angry
anyone there -1.2
is anyone -0.8
paid for -0.8
i paid -0.8
we paid -0.8
money back -1.8 angry
my money -1
spent -0.5
apparently -0.8
supposedly -1
whatever -1
sigh -1.5 disappointed
one star -2 disappointed
zero stars -2.5 angry
no stars -2 angry
didnt help -1.8 angry
cant help -1.5 disappointed
wasnt helpful -1.8 angry
no help at all -2.5 angry
separated -1.2
middle seat -1
sitting -0.4 #waiting
sat -0.4 #waiting
min -0.2
mins -0.4 #waiting
minutes -0.4 #waiting
days -0.3
now what -1.2
what now -1.2
left behind -1.8 disappointed
left without -1.5 disappointed
out of luck -1.8 disappointed
too late -1.8 disappointed
too long -1.8 anxious #waiting
so long -1 #waiting
way too -1
nothing but 0
dont care -2 angry
doesnt care -2 angry
dont even -1.2
could care less -2 angry
couldnt care less -2 angry
get it together -2 angry
step it up -1.5 angry
do better -1.8 angry
need to fix -1.5 angry
fix your -1.5 angry
figure it out -1.5 angry
unreal -1.2
not impressed -2 disappointed
not happy -2 disappointed
not pleased -2 disappointed
not satisfied -2 disappointed
told -0.5
was told -1
were told -1
told me -0.8
told us -0.8
kept -0.5
kept us -1 #waiting
called -0.3
calling -0.3
deplane -0.8
deplaned -1
supervisor -0.5 #complaint
luggage -0.3
baggage -0.3
bags -0.2
down -0.3
still nothing -1.5 angry #waiting
nothing yet -1 #waiting
not yet -0.6 #waiting
would love 0.5
id love 0.5
love to 0.8 happy
good morning 0.3
good afternoon 0.3
good evening 0.3
good night 0.3
good luck 0
best way 0
the best way 0
best option 0.3
dont like -1.8 disappointed
didnt like -1.8 disappointed
do not like -1.8 disappointed
doesnt like -1.5 disappointed
not like -0.8
on the runway -1.2 #waiting
hotel voucher -1
meal voucher -0.8
disappoint -1.8 disappointed
didnt disappoint 2 happy
without a hitch 1.8 happy
hitch -0.5
yeah right -1.5 angry
nice try -1
oh well -0.8
2nd time -1 #repeat
3rd time -1.8 angry #repeat
4th time -2.2 angry #repeat
5th time -2.5 angry #repeat
for an hour -1.2 #waiting
over an hour -1.5 anxious #waiting
almost an hour -1.2 #waiting
answer the phones -1.5 angry
answer your phones -1.5 angry
// ── thanks, praise ──
thanks 1.5 happy
thank you 1.8 happy
thank u 1.8 happy
thank 1.5 happy
thx 1.5 happy
thnx 1.5 happy
thanx 1.5 happy
thks 1.5 happy
ty 1.2 happy
tysm 2.2 happy
thanks so much 2.2 happy
thank you so much 2.5 happy
many thanks 2.2 happy
thanks a million 2.5 happy
cant thank you enough 2.8 happy
much appreciated 2.2 happy
appreciate 2 happy
appreciated 2 happy
appreciate it 2 happy
grateful 2 happy
thankful 2 happy
cheers 1.2 happy
great 2 happy
greatest 2.2 happy
good 1.2 happy
nice 1.5 happy
nicely 1.2 happy
awesome 2.5 happy
amazing 2.5 happy
amazed 2 happy
excellent 2.5 happy
fantastic 2.5 happy
wonderful 2.5 happy
terrific 2.5 happy
fabulous 2.5 happy
fab 2 happy
marvelous 2.2 happy
marvellous 2.2 happy
superb 2.5 happy
stellar 2.2 happy
outstanding 2.5 happy
exceptional 2.5 happy
phenomenal 2.5 happy
incredible 2.2 happy
brilliant 2.2 happy
splendid 2 happy
magnificent 2.2 happy
spectacular 2.2 happy
top notch 2.2 happy
world class 2 happy
five star 2 happy
5 star 2 happy
perfect 2.2 happy
perfectly 1.8 happy
flawless 2.5 happy
love 2.2 happy
loved 2.2 happy
loves 2 happy
loving 2 happy
adore 2.2 happy
like 0.4
liked 1.2 happy
best 2 happy
better 0.5
improved 1 happy
favorite 2 happy
favourite 2 happy
fave 1.8 happy
fav 1.5 happy
happy 2 happy
happier 1.8 happy
glad 2 happy
pleased 2 happy
pleasant 1.8 happy
pleasantly 1.5 happy
pleasantly surprised 2.5 happy
pleasure 1.8 happy
delighted 2.5 happy
delightful 2.5 happy
thrilled 2.5 happy
excited 1.8 happy
exciting 1.8 happy
stoked 2.2 happy
pumped 1.5 happy
cant wait 1.8 happy
looking forward 1.5 happy
relieved 1.2 happy
relief 1 happy
lucky 1.2 happy
blessed 1.8 happy
satisfied 2 happy
satisfying 1.8 happy
content 0.5
helpful 2 happy
very helpful 2.5 happy
kind 1.5 happy
kindness 2 happy
friendly 1.8 happy
courteous 1.8 happy
polite 1.5 happy
gracious 2 happy
caring 1.8 happy
compassionate 2 happy
accommodating 1.8 happy
attentive 1.8 happy
patient 1.2 happy
understanding 0.8 happy
responsive 1.5 happy
professional 1.5 happy
professionalism 1.8 happy
efficient 1.8 happy
prompt 1.2 happy
promptly 1.2 happy
quick 1.2 happy
quickly 1 happy
speedy 1.5 happy
fast 1 happy
on time 1.2 happy
ontime 1 happy
early 0.6 happy
ahead of schedule 1.5 happy
smooth 1.5 happy
smoothly 1.5 happy
seamless 2 happy
painless 1.5 happy
effortless 1.5 happy
hassle free 2 happy
easy 1.2 happy
comfortable 1.8 happy
comfy 1.8 happy
spacious 1.5 happy
roomy 1.5 happy
clean 1.2 happy
tasty 1.8 happy
delicious 2.2 happy
yummy 2 happy
enjoyable 2 happy
relaxing 1.5 happy
safe 0.6 happy
safely 1 happy
reliable 1.8 happy
resolved 1.5 happy
solved 1.5 happy
fixed 1.2 happy
sorted 1 happy
worked out 1.2 happy
cool 1.2 happy
yay 2 happy
woohoo 2 happy
hooray 2 happy
congrats 2 happy
congratulations 2 happy
well done 2 happy
good job 2.2 happy
great job 2.5 happy
nice job 2.2 happy
great work 2.5 happy
kudos 2 happy
props 1.8 happy
shoutout 1.8 happy
shout out 1.8 happy
bravo 2.2 happy
impressed 2 happy
impressive 2 happy
exceeded expectations 2.5 happy
above and beyond 2.5 happy
went above 2 happy
extra mile 2 happy
hero 2 happy
heroes 2 happy
angel 2 happy
saved the day 2.5 happy
lifesaver 2.5 happy
life saver 2.5 happy
rock 0.6 happy
you rock 2.5 happy
you guys rock 2.5 happy
rocks 1.5 happy
rockstar 2 happy
rockstars 2 happy
legend 1.8 happy
recommend 1.8 happy
recommended 1.5 happy
highly recommend 2.5 happy
enjoy 1.8 happy
enjoyed 1.8 happy
enjoying 1.8 happy
fun 1.5 happy
beautiful 1.8 happy
lovely 2 happy
gorgeous 2 happy
sweet 1.5 happy
welcome 1 happy
upgrade 0.8 happy
upgraded 1.5 happy
complimentary 1 happy
free 0.4
worth it 1.8 happy
well worth 2 happy
no problem 1.2 happy
no problems 1 happy
no worries 1.2 happy
no issues 1 happy
no complaints 1.5 happy
not bad 1 happy
not too bad 0.8 happy
cant complain 1.2 happy
couldnt be happier 2.8 happy
couldnt be better 2.5 happy
cant go wrong 1.5 happy
no thanks 0
no thank you 0
lol 0.5 happy
haha 0.8 happy
hahaha 1.2 happy
lmao 0.5 happy
yes 0.3
wonderfully 2 happy
success 1.5 happy
successful 1.5 happy
win 1 happy
winner 1.8 happy
ok 0.8 happy
okay 0.6 happy
`;

/** Emoji and emoticons, matched anywhere in the text (emoticons made of letters, such as :d or xd, on a word boundary). */
export const SYMBOL_LEXICON = `
😡 -3 angry
🤬 -3 angry
😠 -2.5 angry
👎 -2 angry
💢 -2 angry
😤 -2 angry
🙄 -1.5 angry
😒 -1.5 angry
😑 -1 angry
😐 -0.5
🤦 -1.8 angry
😢 -2 disappointed
😭 -2.2 disappointed
😞 -1.8 disappointed
😔 -1.5 disappointed
😩 -2 disappointed
😫 -2 disappointed
😣 -1.5 disappointed
😖 -1.8 disappointed
😕 -1.2 disappointed
🙁 -1.5 disappointed
☹ -1.5 disappointed
💔 -2 disappointed
😴 -0.8 disappointed
:( -1.5 disappointed
:-( -1.5 disappointed
:(( -2 disappointed
:'( -2 disappointed
=( -1.5 disappointed
>:( -2.5 angry
:/ -1 disappointed
:-/ -1 disappointed
-_- -1.2 angry
qaq -1.5 disappointed
orz -1 disappointed
</3 -2 disappointed
😰 -2 anxious
😟 -1.5 anxious
😥 -1.5 anxious
😓 -1.2 anxious
😬 -1 anxious
😱 -2 fearful
😨 -2 fearful
😮 0 surprised
😲 0 surprised
😳 -0.3 surprised
🤢 -2.2 disgusted
🤮 -2.5 disgusted
💩 -2 disgusted
😊 1.8 happy
😀 1.8 happy
😃 1.8 happy
😄 1.8 happy
😁 1.8 happy
😆 1.5 happy
😉 1.2 happy
🙂 1 happy
☺ 1.5 happy
😌 1.2 happy
😂 1 happy
🤣 1 happy
😍 2.2 happy
🥰 2.2 happy
😘 1.8 happy
🤗 1.8 happy
😎 1.5 happy
🥳 2.2 happy
🎉 1.8 happy
🎊 1.5 happy
❤ 2 happy
♥ 2 happy
💕 2 happy
💖 2 happy
💗 2 happy
💙 1.8 happy
💜 1.8 happy
💚 1.8 happy
💛 1.8 happy
😻 2 happy
✨ 1 happy
🌟 1.5 happy
⭐ 1.2 happy
👍 1.8 happy
👌 1.5 happy
👏 1.8 happy
🙌 2 happy
🙏 1.2 happy
💪 1.5 happy
💯 1.8 happy
✈ 0
:) 1.5 happy
:-) 1.5 happy
:)) 2 happy
:d 1.8 happy
:-d 1.8 happy
;) 1.2 happy
;-) 1.2 happy
=) 1.5 happy
:p 1 happy
<3 2 happy
^_^ 1.5 happy
^^ 1.2 happy
xd 1.2 happy
∩_∩ 2 happy
^o^ 1.5 happy
^__^ 1.5 happy
≧▽≦ 2 happy
╯﹏╰ -1.5 disappointed
╯▽╰ 1 happy
t_t -1.5 disappointed
t.t -1.5 disappointed
囧 -1 disappointed
`;

/** Negators: flip the next sentiment term within a short window (不 满意, "not happy", "don't like"). */
export const ZH_NEGATORS = [
  '不', '没', '没有', '未', '并不', '并没有', '并非', '不太', '不是', '不够', '不会', '无', '毫无', '从不', '从没', '从来没', '绝不', '不怎么', '没什么', '没啥', '不用', '不必', '无需',
  // A mistaken expectation: 本以为很好吃 (it was not); a comparison with one: 没有想象中那么差, 不如想象中好.
  '以为', '本以为', '原以为', '还以为', '没有想象中', '没有想象的', '没想象中', '没有想像中', '没想像中', '不像想象中', '不如想象中', '不像说的', '并不像',
  '谈不上', '称不上', '算不上', '说不上',
  // 不大方便, 不大好: "not very".
  '不大',
];
/** Prohibitions: they negate a positive term (别高兴太早) but not a complaint (别浪费钱, 不要一拖再拖: PROHIBITED_NEGATIVE). */
export const ZH_PROHIBITIVE = ['别', '不要', '别再', '不要再', '千万别', '千万不要', '请勿', '切勿', '请不要', '请别'];
/** Chinese negators that, when no term follows, still report something missing (没有热水, 没送到). */
export const ZH_DANGLING_NEGATORS: readonly string[] = ['没', '没有', '未', '并没有', '从没', '从来没', '没什么', '没啥'];
export const EN_NEGATORS = [
  'not', 'no', 'never', "don't", 'dont', "didn't", 'didnt', "doesn't", 'doesnt', "isn't", 'isnt', "wasn't", 'wasnt', "aren't", 'arent', "weren't", 'werent', "can't", 'cant', 'cannot',
  "won't", 'wont', "couldn't", 'couldnt', "wouldn't", 'wouldnt', "shouldn't", 'shouldnt', "haven't", 'havent', "hasn't", 'hasnt', "hadn't", 'hadnt', "ain't", 'aint', 'hardly', 'barely',
  'nothing', 'without', 'nor', 'neither', 'lack', 'lacking', 'lacks',
];

/** Intensifiers and their factors (太慢, "very slow"). */
export const ZH_INTENSIFIERS: ReadonlyArray<readonly [string, number]> = [
  ['非常', 1.6], ['特别', 1.6], ['十分', 1.5], ['极其', 1.8], ['极为', 1.7], ['极度', 1.8], ['极', 1.6], ['超级', 1.7], ['超', 1.5], ['太', 1.5], ['最', 1.6], ['真的', 1.4], ['真', 1.3],
  ['很', 1.25], ['挺', 1.15], ['蛮', 1.15], ['颇', 1.3], ['好', 1.2], ['巨', 1.6], ['贼', 1.5], ['相当', 1.4], ['实在', 1.4], ['根本', 1.5], ['简直', 1.6], ['完全', 1.4], ['越来越', 1.4],
  ['更', 1.2], ['更加', 1.3], ['格外', 1.5], ['尤其', 1.3], ['过于', 1.4], ['太过', 1.5], ['如此', 1.3], ['这么', 1.2], ['那么', 1.2], ['超超', 1.8], ['死', 1.3],
  ['真心', 1.4], ['无比', 1.6], ['实在是', 1.5], ['不是一般的', 1.8], ['不是一般地', 1.8], ['非一般的', 1.6], ['确实', 1.2], ['的确', 1.2], ['绝对', 1.4], ['灰常', 1.6], ['忒', 1.4], ['倍儿', 1.4],
];
export const EN_INTENSIFIERS: ReadonlyArray<readonly [string, number]> = [
  ['very', 1.5], ['so', 1.4], ['really', 1.4], ['extremely', 1.8], ['totally', 1.5], ['absolutely', 1.6], ['completely', 1.5], ['super', 1.5], ['incredibly', 1.7],
  ['truly', 1.4], ['utterly', 1.7], ['most', 1.3], ['too', 1.3], ['such', 1.3], ['seriously', 1.5], ['beyond', 1.5], ['highly', 1.4], ['freaking', 1.5], ['frickin', 1.5],
  ['literally', 1.2], ['insanely', 1.6], ['terribly', 1.5], ['awfully', 1.4], ['painfully', 1.5], ['way', 1.3], ['much', 1.2], ['quite', 1.2], ['entirely', 1.4], ['thoroughly', 1.5],
  ['deeply', 1.5], ['genuinely', 1.3], ['especially', 1.2], ['particularly', 1.2], ['exceptionally', 1.7], ['remarkably', 1.5], ['hugely', 1.6], ['massively', 1.6], ['even more', 1.3],
];
/** Diminishers (有点慢, "a bit slow"). */
export const ZH_DIMINISHERS: ReadonlyArray<readonly [string, number]> = [
  ['有点', 0.6], ['有点儿', 0.6], ['有一点', 0.6], ['有些', 0.6], ['稍微', 0.5], ['稍稍', 0.5], ['稍', 0.6], ['略', 0.6], ['略微', 0.5], ['还算', 0.7], ['一点', 0.7], ['比较', 0.9], ['偏', 0.8], ['稍显', 0.6], ['略显', 0.6], ['略有', 0.6],
];
export const EN_DIMINISHERS: ReadonlyArray<readonly [string, number]> = [
  ['a bit', 0.6], ['a little', 0.6], ['slightly', 0.5], ['somewhat', 0.6], ['kinda', 0.7], ['kind of', 0.7], ['sort of', 0.7], ['fairly', 0.8], ['pretty', 1.2], ['mildly', 0.6],
  ['relatively', 0.8], ['reasonably', 0.8], ['moderately', 0.7], ['partly', 0.6],
];

/** Contrast: what follows weighs more than what came before (环境不错，但是太吵 → negative). */
export const ZH_CONTRAST = ['但是', '但', '可是', '不过', '然而', '却', '只是', '就是', '可惜的是'];
/** Concessive: the clause they open weighs less (虽然 …, "although …"). */
export const ZH_CONCESSIVE = ['虽然', '虽说', '虽', '尽管'];
export const EN_CONTRAST = ['but', 'however', 'though', 'although', 'yet', 'except', 'even though', 'despite', 'nevertheless', 'nonetheless'];
/** The English contrast words that are concessive (their own clause counts less) rather than adversative. */
export const EN_CONCESSIVE = ['though', 'although', 'even though', 'despite'];

/** Verdict markers: what follows them in the sentence is the writer's summary and counts more (CONCLUSION). */
export const ZH_CONCLUSION = [
  '总的来说', '总的来讲', '总的说来', '总的来看', '总得来说', '总体来说', '总体来讲', '总体而言', '总体上', '总体感觉', '总体',
  '整体来说', '整体而言', '整体感觉', '整体上', '总之', '总而言之', '综上所述', '综上', '综合来看', '综合来说', '总评', '总结一下',
  '一句话', '总的感觉', '总的印象', '总体印象', '整体印象',
];
export const EN_CONCLUSION = ['overall', 'all in all', 'in general', 'in short', 'to sum up', 'in summary', 'all things considered', 'bottom line', 'on the whole', 'in the end'];
/** Minor-flaw markers (美中不足的是…): the negatives after them in the sentence count less (MINOR_FLAW). */
export const ZH_MINOR_FLAW = ['美中不足', '唯一的缺点', '唯一缺点', '唯一的不足', '唯一不足', '小缺点', '小瑕疵', '小问题', '瑕不掩瑜'];
/**
 * Adjectives of degree and size that, followed by 了点 / 了一点 / 了些 (贵了点, 硬了一点, 小了些), say "a little too …":
 * a mild complaint, also when the adjective is no lexicon term of its own.
 */
export const ZH_EXCESS_ADJECTIVES = '大小重厚硬软贵咸淡甜辣油腻慢短长窄旧暗吵热冷凉干苦酸粗高低远晚薄稀挤脏乱烫矮少潮闷';
