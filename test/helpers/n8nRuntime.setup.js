process.env.BILIBILI_TEST_RUNTIME = 'n8n';
