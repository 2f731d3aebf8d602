package woosim

// The pages real shops answer when they fail: WordPress's own error pages
// (wp_die()), nginx's, a maintenance plugin's.

// pageCriticalError is WordPress's fatal error handler's page (status 500).
const pageCriticalError = `<!DOCTYPE html>
<html lang="en-US">
<head>
	<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
	<meta name="viewport" content="width=device-width">
	<meta name='robots' content='max-image-preview:large, noindex, follow' />
	<title>WordPress &rsaquo; Error</title>
</head>
<body id="error-page">
	<div class="wp-die-message"><p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p></div></body>
</html>
`

// page502 is nginx's Bad Gateway page, when PHP-FPM is down or overloaded.
const page502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// pageMaintenance503 is wp_maintenance()'s page while WordPress updates.
const pageMaintenance503 = `<!DOCTYPE html>
<html lang="en-US">
<head>
	<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
	<meta name="viewport" content="width=device-width">
	<title>Maintenance</title>
</head>
<body id="error-page">
	<div class="wp-die-message">Briefly unavailable for scheduled maintenance. Check back in a minute.</div></body>
</html>
`

// page429 is a rate limiter's page (nginx limit_req with status 429).
const page429 = "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// pageMaintenance200 is a maintenance-mode plugin's page, sent with 200.
const pageMaintenance200 = `<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<title>Maintenance mode &#8211; woosim</title>
<meta name="robots" content="noindex, nofollow">
</head>
<body class="maintenance">
<div class="wrap"><h1>We&rsquo;ll be back soon!</h1><p>Our shop is undergoing scheduled maintenance. Thank you for your patience.</p></div>
</body>
</html>
`

// phpNotice is a notice as PHP prints it with html_errors on, before
// WordPress's output: the classic _doing_it_wrong() of a plugin.
const phpNotice = "<br />\n<b>Notice</b>:  Function wp_enqueue_script was called <strong>incorrectly</strong>. " +
	"Scripts and styles should not be registered or enqueued until the <code>wp_enqueue_scripts</code>, " +
	"<code>admin_enqueue_scripts</code>, or <code>login_enqueue_scripts</code> hooks. Please see " +
	"<a href=\"https://wordpress.org/documentation/article/debugging-in-wordpress/\">Debugging in WordPress</a> " +
	"for more information. (This message was added in version 3.3.0.) in <b>/var/www/html/wp-includes/functions.php</b> " +
	"on line <b>6031</b><br />\n"
