'use strict';
// Runs one of the two apps: `node server.js app-cloudinary.js` (the npm SDK) or
// `node server.js app-cldkit.js` (cldkit/compat); CLOUDINARY_URL configures both, PORT
// picks the port (3000).
const path = require('path');

const file = process.argv[2] || 'app-cldkit.js';
const { createApp } = require(path.resolve(__dirname, file));
const server = createApp().listen(Number(process.env.PORT || 3000), () => {
  console.log(`${file} listening on http://localhost:${server.address().port}`);
});
