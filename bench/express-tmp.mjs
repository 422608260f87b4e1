import express from 'express';
const app = express(); app.get('/x', (req, res) => res.json({ version: ['1.0.3'] })); app.listen(3495);
