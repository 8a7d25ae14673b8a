import 'reflect-metadata';
import { runMigrateCommand } from '@cxauth/persistence';

void runMigrateCommand('environment-api');
