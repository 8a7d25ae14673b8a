import 'reflect-metadata';
import { runMigrateCommand } from '@cxauth/persistence';
import { authApiBootstrap } from './bootstrap/auth-api-bootstrap';

void runMigrateCommand('auth-api', authApiBootstrap);
