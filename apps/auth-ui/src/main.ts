import './tracing';
import 'reflect-metadata';
import { runService } from '@cxauth/platform';
import { authUiConfigSchema } from './auth-ui.config';
import { authUiService } from './auth-ui.service';

void runService('auth-ui', authUiConfigSchema, authUiService);
