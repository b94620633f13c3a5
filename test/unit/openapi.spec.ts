import { Controller, Get, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DocumentBuilder } from '@nestjs/swagger';
import {
  ApiErrorResponses,
  ApiErrorsConfigurationError,
  ApiErrorsModule,
  CriticalAuth,
  RequireApiKey,
  RequireAuthorization,
  RequireCaptcha,
  RequireDisclaimers,
  createApiErrorsDocument,
  defineApiErrors,
  routeErrorCodes,
} from 'nestjs-api-errors';

@Controller('things')
@ApiErrorResponses('object.id.notfound')
class ThingsController {
  @Get()
  open(): string[] {
    return [];
  }

  @Post()
  @RequireApiKey()
  @RequireCaptcha()
  @RequireDisclaimers('terms')
  @ApiErrorResponses('object.limit.exceeded', 'object.limit.exceeded')
  create(): object {
    return {};
  }

  @Post('signed')
  @RequireAuthorization({ schemes: ['signature'] })
  signed(): object {
    return {};
  }

  @Post('critical')
  @CriticalAuth()
  critical(): object {
    return {};
  }
}

const shopErrors = defineApiErrors({ 'shop.basket.empty': { status: 409, message: 'The basket is empty.' } });

@Controller('shop')
class ShopController {
  @Post('checkout')
  @ApiErrorResponses('shop.basket.empty')
  checkout(): object {
    return {};
  }
}

describe('routeErrorCodes', () => {
  const proto = ThingsController.prototype;

  it('lists the codes a route’s access decorators imply, then its own and its controller’s', () => {
    expect(routeErrorCodes(ThingsController, proto.open)).toEqual(['object.id.notfound']);
    expect(routeErrorCodes(ThingsController, proto.create)).toEqual([
      'auth.apikey.missing',
      'auth.apikey.invalid',
      'auth.captcha.missing',
      'auth.captcha.invalid',
      'auth.disclaimer.invalid',
      'server.unavailable',
      'object.limit.exceeded',
      'object.id.notfound',
    ]);
  });

  it('knows which scheme a route accepts, and that a critical change implies authorization', () => {
    expect(routeErrorCodes(ThingsController, proto.signed)).toEqual(
      expect.arrayContaining(['auth.signature.invalid', 'auth.signature.expired', 'auth.user.denied']),
    );
    expect(routeErrorCodes(ThingsController, proto.signed)).not.toContain('auth.token.expired');
    expect(routeErrorCodes(ThingsController, proto.critical)).toEqual(
      expect.arrayContaining([
        'auth.header.missing',
        'auth.token.expired',
        'auth.signature.invalid',
        'critical.auth.required',
        'auth.otp.invalid',
        'request.rate.exceeded',
      ]),
    );
  });
});

describe('createApiErrorsDocument', () => {
  const config = new DocumentBuilder().setTitle('test').build();

  it('documents an application’s own codes, once however often it is called', async () => {
    @Module({ imports: [ApiErrorsModule.forRoot({ catalogues: [shopErrors] })], controllers: [ShopController] })
    class ShopModule {}
    const app = (await Test.createTestingModule({ imports: [ShopModule] }).compile()).createNestApplication({
      logger: false,
    });
    await app.init();
    await createApiErrorsDocument(app, config);
    const document = await createApiErrorsDocument(app, config);
    const conflict = (document.paths['/shop/checkout']?.post?.responses as any)[409];
    expect(conflict.description).toBe('- `shop.basket.empty`: The basket is empty.');
    expect(conflict.content['application/json'].examples['shop.basket.empty'].value).toEqual({
      status: 'error',
      error_code: 'shop.basket.empty',
      error_id: expect.any(String),
      messages: ['The basket is empty.'],
    });
    await app.close();
  });

  it('refuses a code no catalogue defines, naming it', async () => {
    @Controller('typo')
    class TypoController {
      @Get()
      @ApiErrorResponses('object.id.notfond')
      get(): object {
        return {};
      }
    }
    @Module({ imports: [ApiErrorsModule.forRoot()], controllers: [TypoController] })
    class TypoModule {}
    const app = (await Test.createTestingModule({ imports: [TypoModule] }).compile()).createNestApplication({
      logger: false,
    });
    await app.init();
    const failure = createApiErrorsDocument(app, config);
    await expect(failure).rejects.toBeInstanceOf(ApiErrorsConfigurationError);
    await expect(failure).rejects.toThrow('"object.id.notfond"');
    await expect(createApiErrorsDocument(app, config)).rejects.toThrow('"object.id.notfond"');
    await app.close();
  });
});
