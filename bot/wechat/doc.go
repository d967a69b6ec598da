// Package wechat speaks the passive-reply subset of the WeChat Official
// Account (公众号) message protocol: the URL signature, the server check that
// echoes echostr, the XML of incoming messages and of text replies, and the
// "safe mode" AES envelope. It is written on the standard library alone
// (research/engineering-anchors.md §6.2): the SDKs on offer pull in a large
// dependency tree for five XML fields and compare signatures with ==.
//
// Two layers: Handler is the protocol and knows nothing of the bot; it asks
// a Replier function for each reply. Channel is that Replier for the
// conversation engine: it turns messages into bot.Updates, and the chat's
// outbox into one passive reply (choices numbered, long replies in parts
// fetched with "0", a reply that missed the window kept for the person's
// next message), and hands travel check-ins over to Telegram, since WeChat
// cannot carry their reminders.
//
// Why the protocol is shaped this way, and what follows for us:
//
//   - WeChat waits 5 seconds for the HTTP response, then drops the connection
//     and retries, three times in all. Handler therefore gives the Replier a
//     shorter deadline and answers "success" when it runs out, and DedupKey
//     names a delivery so that the engine can ignore the retries. A Replier
//     calls ClaimReply before it takes its reply out of a queue, so that a
//     reply is either written in the response or left queued for later,
//     never taken and then dropped at the deadline.
//   - The plain signature covers only token, timestamp and nonce, not the
//     body. Anyone who sees one signed request can post any body under it
//     while its timestamp is fresh. Safe mode signs the encrypted body as
//     well (msg_signature), so an account that handles job seekers' messages
//     should use it. With an EncodingAESKey configured, Handler accepts
//     nothing else.
//   - Nothing here logs, and no error built here carries message text or an
//     OpenID (research/reliability-performance.md A4 P6).
package wechat
